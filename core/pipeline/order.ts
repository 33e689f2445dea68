import type * as v from 'valibot';
import type { AnyTool, MiddlewarePlace, PluginMiddleware } from '../plugin/types.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/manager.js';
import type { StateStore } from '../sessions/types.js';
import type { TaigaHosts } from '../taiga-hosts.js';
import type { Telemetry } from '../telemetry.js';
import type { Tracing } from '../tracing/types.js';
import { compose } from './compose.js';
import { translateError } from './translate-error.js';
import { redactLog } from './redact-log.js';
import { traceCall } from './trace.js';
import { auth } from './auth.js';
import { rateLimit } from './rate-limit.js';
import { validate } from './validate.js';
import { confirm } from './confirm.js';
import type { Confirmations } from '../confirm/confirmations.js';
import { runHandler } from './handler.js';
import type { Middleware, ToolCall } from './types.js';

/**
 * THE pipeline order, outermost first. `before-*` are the places where plugin middleware goes.
 * translate-error is outermost so that it sees every failure, auth and rate-limit included;
 * trace (present only when tracing is configured) comes next, so that the call's span holds every
 * other stage; validate is innermost so that the handler gets typed arguments; confirm comes last,
 * so that a person is asked only about a call that every other stage let through.
 */
export const PIPELINE_ORDER = [
  'translate-error',
  'trace',
  'redact-log',
  'before-auth',
  'auth',
  'rate-limit',
  'before-validate',
  'validate',
  'before-handler',
  'confirm',
  'handler',
] as const;

export interface PipelineDeps {
  logger: Logger;
  sessions: SessionManager;
  hosts: TaigaHosts;
  store: StateStore;
  burst: number;
  perSecond: number;
  telemetry: Telemetry;
  /** Traces, when configured (OTLP); absent, the trace stage is left out. */
  tracing?: Tracing | undefined;
  /** The MCP method the pipeline serves: `tools/call`, or an internal tool's resources/prompts/completion method. */
  mcpMethod?: string;
  confirmations: Confirmations;
}

export interface ExtraMiddleware {
  middleware: PluginMiddleware;
  options: Record<string, unknown>;
}

/** Builds one tool's composed pipeline; done once per tool at start-up. */
export function buildPipeline(tool: AnyTool, inputSchema: v.GenericSchema, deps: PipelineDeps, extra: readonly ExtraMiddleware[], options: Readonly<Record<string, unknown>> = {}): (call: ToolCall) => Promise<void> {
  const at = (place: MiddlewarePlace): Middleware[] =>
    extra.filter((e) => e.middleware.place === place).map((e) => e.middleware.create(tool.name, e.options));
  const stages: Record<(typeof PIPELINE_ORDER)[number], () => Middleware[]> = {
    'translate-error': () => [translateError()],
    trace: () => (deps.tracing ? [traceCall(deps.tracing, deps.mcpMethod ?? 'tools/call')] : []),
    'redact-log': () => [redactLog({ logger: deps.logger, readOnly: tool.annotations.readOnlyHint, telemetry: deps.telemetry })],
    'before-auth': () => at('before-auth'),
    auth: () => [auth({ sessions: deps.sessions, hosts: deps.hosts })],
    'rate-limit': () => [rateLimit({ store: deps.store, burst: deps.burst, perSecond: deps.perSecond })],
    'before-validate': () => at('before-validate'),
    validate: () => [validate(inputSchema)],
    'before-handler': () => at('before-handler'),
    confirm: () => [confirm(tool, deps.confirmations)],
    handler: () => [runHandler({ logger: deps.logger, options })],
  };
  return compose(PIPELINE_ORDER.flatMap((name) => stages[name]()));
}
