import type { CallToolResult } from '@modelcontextprotocol/server';
import { TaigaMcpError } from '../errors.js';
import { ConfirmationPending } from '../confirm/confirmations.js';
import type { Middleware } from './types.js';
import { json } from '../render/untrusted.js';

/**
 * Outermost stage: whatever failed below becomes an `isError` result with a stable code.
 * Unknown exceptions become INTERNAL: their message and stack never reach the client. A call that
 * must ask its person first answers the input_required result instead (core/confirm).
 */
export function translateError(): Middleware {
  return async function translateErrorStage(call, next) {
    try {
      await next();
    } catch (err) {
      if (err instanceof ConfirmationPending) call.inputRequired = err.result;
      else call.result = errorResult(toTaigaMcpError(err, call.signal), call.requestId);
    }
  };
}

export function toTaigaMcpError(err: unknown, signal?: AbortSignal): TaigaMcpError {
  // A cancelled call fails in whatever was awaiting (a fetch, a lock): the signal says why.
  if (signal?.aborted) return err instanceof TaigaMcpError && err.code === 'CANCELLED' ? err : new TaigaMcpError('CANCELLED');
  if (err instanceof TaigaMcpError) return err;
  return new TaigaMcpError('INTERNAL');
}

export function errorResult(error: TaigaMcpError, requestId: string): CallToolResult {
  const payload = { ...error.toJSON(), request_id: requestId };
  return { isError: true, content: [{ type: 'text', text: json({ error: payload }) }] };
}
