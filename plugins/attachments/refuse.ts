import { TaigaMcpError } from '../../core/errors.js';

/** An INVALID_INPUT naming the argument at fault. */
export const refuse = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new TaigaMcpError('INVALID_INPUT', { message, details: { fields: { [field]: message }, ...details } });
