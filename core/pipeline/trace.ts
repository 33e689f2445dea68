import type { Tracing } from '../tracing/types.js';
import { ConfirmationPending } from '../confirm/confirmations.js';
import { toTaigaMcpError } from './translate-error.js';
import type { Middleware } from './types.js';

/**
 * The call's span (only when tracing is configured; otherwise the stage is not in the pipeline at
 * all). It sits just inside translate-error, so that auth, the rate limit, validation and the
 * handler (and their Taiga requests and store operations) all run in it, and a failure passes
 * through it as the error code the client will get.
 */
export function traceCall(tracing: Tracing, method: string): Middleware {
  return function traceStage(call, next) {
    return tracing.toolCall({ method, tool: call.tool.name, principal: call.principal, parent: call.traceContext }, async (end) => {
      let outcome = 'ok';
      try {
        await next();
      } catch (err) {
        // A call that asks its person first is not a failure: the same outcome as the metrics'.
        outcome = err instanceof ConfirmationPending ? 'input_required' : toTaigaMcpError(err, call.signal).code;
        throw err;
      } finally {
        end(outcome, call.audit.project);
      }
    });
  };
}
