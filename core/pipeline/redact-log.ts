import type { Logger } from '../logger.js';
import type { Telemetry } from '../telemetry.js';
import { TaigaMcpError } from '../errors.js';
import { ConfirmationPending } from '../confirm/confirmations.js';
import { toTaigaMcpError } from './translate-error.js';
import { boundedName } from './validate.js';
import type { Middleware, ToolCall } from './types.js';

const MAX_LOGGED_ARGS = 20;

/**
 * One log line per call, and one audit line per write, with secrets left out:
 * argument values are never logged (only their names), session ids are shortened.
 */
export function redactLog(opts: { logger: Logger; readOnly: boolean; telemetry: Telemetry }): Middleware {
  const { logger, readOnly, telemetry } = opts;
  return async function redactLogStage(call, next) {
    // translate-error sits outside this stage, so the failure is seen here as it passes through.
    let failure: TaigaMcpError | undefined;
    let unexpected: unknown;
    // A person is being asked: nothing was written yet, and nothing failed.
    let asked = false;
    try {
      await next();
    } catch (err) {
      if (err instanceof ConfirmationPending) asked = true;
      else {
        failure = toTaigaMcpError(err, call.signal);
        // An INTERNAL error says what failed; the log also gets why (the client never does).
        if (!(err instanceof TaigaMcpError)) unexpected = err;
        else if (err.code === 'INTERNAL' && err.cause !== undefined) unexpected = err.cause;
      }
      throw err;
    } finally {
      const ms = Math.round((performance.now() - call.startedAt) * 10) / 10;
      const outcome = failure ? failure.code : asked ? 'input_required' : 'ok';
      telemetry.toolCall(call.tool.name, outcome, ms / 1000);
      // The call line is built only when it is written: most calls run at info level.
      if (unexpected !== undefined) logger.error({ ...callLine(call, outcome, ms), err: describe(unexpected) }, 'tool call failed unexpectedly');
      else if (logger.isLevelEnabled('debug')) logger.debug(callLine(call, outcome, ms), 'tool call');
      if (!readOnly) {
        logger.info(
          {
            audit: true,
            tool: call.tool.name,
            request_id: call.requestId,
            principal: call.principal,
            user: call.session?.username,
            project: call.audit.project,
            object: call.audit.object ?? objectOf(call.output),
            outcome,
            ms,
          },
          'audit',
        );
      }
    }
  };
}

function callLine(call: ToolCall, outcome: string, ms: number): Record<string, unknown> {
  return {
    tool: call.tool.name,
    request_id: call.requestId,
    principal: call.principal,
    session: call.session?.id,
    user: call.session?.username,
    args: Object.keys(call.rawArgs).filter((k) => k !== 'session_id' && k !== 'password').slice(0, MAX_LOGGED_ARGS).map(boundedName),
    outcome,
    ms,
  };
}

function objectOf(output: Record<string, unknown> | undefined): unknown {
  if (!output) return undefined;
  for (const key of ['id', 'ref', 'slug']) if (output[key] !== undefined) return output[key];
  const item = output['item'] ?? output['user_story'] ?? output['project'];
  return item && typeof item === 'object' ? (item as Record<string, unknown>)['id'] : undefined;
}

/** Class and message only, cut short: a stack may hold paths, a message may hold input. */
function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : typeof err;
}
