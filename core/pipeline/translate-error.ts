import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TaigaMcpError } from '../errors.js';
import type { Middleware } from './types.js';
import { json } from '../render/untrusted.js';

/**
 * Outermost stage: whatever failed below becomes an `isError` result with a stable code.
 * Unknown exceptions become INTERNAL: their message and stack never reach the client.
 */
export function translateError(): Middleware {
  return async function translateErrorStage(call, next) {
    try {
      await next();
    } catch (err) {
      call.result = errorResult(toTaigaMcpError(err, call.signal), call.requestId);
    }
  };
}

export function toTaigaMcpError(err: unknown, signal?: AbortSignal): TaigaMcpError {
  if (err instanceof TaigaMcpError) return err;
  if (signal?.aborted) return new TaigaMcpError('INTERNAL', { message: 'The call was cancelled.' });
  return new TaigaMcpError('INTERNAL');
}

export function errorResult(error: TaigaMcpError, requestId: string): CallToolResult {
  const payload = { ...error.toJSON(), request_id: requestId };
  return { isError: true, content: [{ type: 'text', text: json({ error: payload }) }] };
}
