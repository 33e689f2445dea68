import * as v from 'valibot';
import type { AnyTool } from './plugin/types.js';

/** Shared by every tool that needs a session; optional when default credentials are configured. */
export const SessionIdField = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128)));

/** `confirm: true`: a person agreed, where the client cannot ask one (confirmations.mode "require"). */
export const ConfirmField = v.optional(v.boolean());

/**
 * The schema a tool is validated against: its own fields, session_id, `confirm` when `withConfirm`
 * (a tool whose writes a person confirms, under confirmations.mode "require"), and nothing else.
 */
export function callSchema(tool: AnyTool, withConfirm = false): v.GenericSchema {
  const entries = tool.auth === 'none' ? tool.input.entries : { ...tool.input.entries, session_id: SessionIdField };
  return v.strictObject(withConfirm ? { ...entries, confirm: ConfirmField } : entries);
}
