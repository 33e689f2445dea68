import { randomUUID } from 'node:crypto';
import { CallScope } from '../pipeline/call-scope.js';
import { NameResolver } from '../resolve/name-resolver.js';
import { ProtocolError, ProtocolErrorCode, Server, TRACEPARENT_META_KEY, TRACESTATE_META_KEY, type CallToolResult, type InputRequiredResult, type McpRequestContext, type ServerContext } from '@modelcontextprotocol/server';
import type { App, EnabledTool } from '../app.js';
import type { ToolCall } from '../pipeline/types.js';
import type { TraceContext } from '../tracing/types.js';
import { json, plain, worded } from '../render/untrusted.js';
import type { ErrorPayload, TaigaMcpError } from '../errors.js';
import { completerOf, templateOf } from '../resources/registry.js';
import { noPrompt, noResource } from '../resources/internal-tools.js';
import { SERVER_VERSION } from '../version.js';
import { instructionsFor } from './instructions.js';
import { confirmationChannel, type ConfirmationChannel } from '../confirm/channel.js';
import { notGranted, type Grant } from '../access/grant.js';
import { errorResult } from '../pipeline/translate-error.js';
import { legacyHttpCancellation } from './legacy-cancel.js';

/** Who is calling, as the transport knows it: a principal (HTTP auth, or `local` on stdio) and a source for login limits. */
export interface Caller {
  principal: string;
  source: string;
  /** What this principal may use of the enabled tools (HTTP auth: an API key's bounds, a token's scopes); none: all of them. */
  grant?: Grant | undefined;
}

/**
 * The caller of a request: on HTTP, what our auth put into the SDK's AuthInfo (http/mcp-endpoint.ts);
 * on stdio, the transport's own caller. HTTP has no fallback: a request that reached here without
 * a principal is refused rather than served as somebody.
 */
export function callerOf(rc: Partial<McpRequestContext> | undefined, ctx: ServerContext | undefined, fallback: Caller | undefined): Caller {
  const extra = (ctx?.http?.authInfo ?? rc?.authInfo)?.extra as Partial<Caller> | undefined;
  if (extra?.principal) return { principal: extra.principal, source: extra.source ?? extra.principal, grant: extra.grant };
  if (fallback) return fallback;
  throw new ProtocolError(ProtocolErrorCode.InternalError, 'The request has no authenticated caller.');
}

/** Made per call, on first use: resolves names for the call's session, with one reload per project and call. */
const LAZY = {
  resolve: (s: CallScope) => new NameResolver(s.resolve('taiga'), s.resolve('session'), s.resolve('metadata'), s.resolve('audit')),
};

/** Runs one tool (listed or internal) through its pipeline, in a DI scope of its own. */
async function runTool(app: App, enabled: EnabledTool, rawArgs: unknown, ctx: ServerContext, caller: Caller, signal: AbortSignal, confirmationChannel?: ConfirmationChannel): Promise<ToolCall> {
  const requestId = randomUUID().slice(0, 8);
  const audit = {};
  const progressToken = ctx.mcpReq._meta?.progressToken;
  const callScope = new CallScope(app.container, {
    requestId,
    audit,
    source: caller.source,
    principal: caller.principal,
    signal,
    progress: async (progress: number, total: number, message?: string) => {
      if (progressToken === undefined) return;
      await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, total, ...(message && { message }) } });
    },
  }, LAZY);
  const call: ToolCall = {
    tool: enabled.tool,
    plugin: enabled.plugin,
    rawArgs: rawArgs && typeof rawArgs === 'object' && !Array.isArray(rawArgs) ? (rawArgs as Record<string, unknown>) : {},
    args: undefined,
    audit,
    get scope() {
      return callScope.awilix;
    },
    callScope,
    requestId,
    signal,
    source: caller.source,
    principal: caller.principal,
    startedAt: performance.now(),
    ...(confirmationChannel && { confirmationChannel }),
    traceContext: app.tracing && traceContextOf(ctx),
  };
  try {
    await enabled.run(call);
  } finally {
    await callScope.dispose();
  }
  return call;
}

/**
 * The caller's trace context: the request's `_meta` (SEP-414), which the client sets for this very
 * request, else the HTTP request's `traceparent` header (which a proxy may have set). Checked by the
 * tracer: one that is not valid W3C Trace Context starts a new trace.
 */
function traceContextOf(ctx: ServerContext): TraceContext | undefined {
  const meta = ctx.mcpReq._meta as Record<string, unknown> | undefined;
  const parent = meta?.[TRACEPARENT_META_KEY];
  if (typeof parent === 'string') {
    const state = meta?.[TRACESTATE_META_KEY];
    return { traceparent: parent, tracestate: typeof state === 'string' ? state : undefined };
  }
  const headers = ctx.http?.req?.headers;
  const header = headers?.get('traceparent');
  return header ? { traceparent: header, tracestate: headers?.get('tracestate') ?? undefined } : undefined;
}

type SentError = ErrorPayload & { request_id: string };

/**
 * The JSON-RPC error a resource or prompt request answers. A client decodes it, so the escapes of a
 * tool's error text (json()) would be gone: every string in it follows the untrusted-text rule itself.
 */
function protocolError(payload: SentError): ProtocolError {
  const invalid = payload.code === 'INVALID_INPUT' || payload.code === 'NOT_FOUND';
  const { details, ...rest } = payload;
  const data = { ...rest, message: plain(payload.message), ...(payload.hint !== undefined && { hint: plain(payload.hint) }), ...(details !== undefined && { details: worded(details) }) };
  return new ProtocolError(invalid ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InternalError, data.message, data);
}

/** What an unknown resource or prompt answers (a hidden one too), without asking Taiga anything. */
const notServed = (error: TaigaMcpError) => protocolError({ ...error.toJSON(), request_id: randomUUID().slice(0, 8) });

/** An internal tool's output, or its failure as the JSON-RPC error a resource or prompt request answers. */
async function internalCall(app: App, name: string, args: Record<string, unknown>, ctx: ServerContext, caller: Caller): Promise<Record<string, unknown>> {
  const call = await runTool(app, app.access(caller.grant).internal.get(name)!, args, ctx, caller, ctx.mcpReq.signal);
  if (!call.result?.isError) return call.output!;
  throw protocolError((JSON.parse((call.result.content[0] as { text: string }).text) as { error: SentError }).error);
}

/**
 * The factory of MCP server instances over the app's enabled tools, for both protocol eras:
 * stdio pins one instance per connection, HTTP makes one per request (so it stays cheap: the
 * descriptors are computed once per grant, in app.access). The low-level Server is used because our pipeline
 * validates arguments and answers its own error payloads (see the SDK v2 notes in the README).
 */
export function createServerFactory(app: App, defaults: Caller | undefined): (rc?: Partial<McpRequestContext>) => Server {
  return (rc) => {
    const server = new Server(
      { name: 'taiga-mcp', title: 'Taiga', version: SERVER_VERSION },
      { capabilities: { tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false }, completions: {} }, instructions: instructionsFor(app.config) },
    );
    const cancellation = legacyHttpCancellation(server, rc);
    const callerIn = (ctx: ServerContext) => callerOf(rc, ctx, defaults);
    // What this caller is served: everything enabled, or what its credential grants (the list may vary by authorization).
    const viewIn = (ctx: ServerContext) => app.access(callerIn(ctx).grant);

    server.setRequestHandler('tools/list', async (_request, ctx) => ({ tools: [...viewIn(ctx).descriptors] }));
    server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult | InputRequiredResult> => {
      const enabled = app.tools.get(request.params.name);
      // A disabled tool answers exactly like one that does not exist.
      if (!enabled) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${String(request.params.name).slice(0, 64)}`);
      const caller = callerIn(ctx);
      const refusal = app.access(caller.grant).refusal(enabled.tool.name);
      if (refusal) return errorResult(notGranted(enabled.tool.name, refusal), randomUUID().slice(0, 8));
      const tracked = cancellation.track(ctx);
      try {
        const call = await runTool(app, enabled, request.params.arguments, ctx, caller, tracked.signal, confirmationChannel(server, ctx));
        return call.inputRequired ?? server.projectCallToolResult(call.result!, enabled.descriptor.outputSchema);
      } finally {
        tracked.release();
      }
    });

    server.setRequestHandler('resources/templates/list', async (_request, ctx) => ({ resourceTemplates: [...viewIn(ctx).templates] }));
    server.setRequestHandler('resources/list', async (_request, ctx) => {
      const view = viewIn(ctx);
      if (!view.registry.templates.some((t) => t.def.list)) return { resources: view.views.list() };
      const { resources } = (await internalCall(app, 'mcp_resources_list', {}, ctx, callerIn(ctx))) as { resources: Array<{ uri: string; name: string; title?: string }> };
      return { resources: [...view.views.list(), ...resources.map((r) => ({ ...r, mimeType: 'application/json' }))] };
    });
    server.setRequestHandler('resources/read', async (request, ctx) => {
      const view = viewIn(ctx);
      // MCP Apps views: static pages, served without a Taiga call.
      const page = view.views.read(request.params.uri);
      if (page) return page;
      if (!templateOf(view.registry, request.params.uri)) throw notServed(noResource(request.params.uri));
      const read = (await internalCall(app, 'mcp_resources_read', { uri: request.params.uri }, ctx, callerIn(ctx))) as { uri: string; data: unknown; text: string };
      return { contents: [{ uri: read.uri, mimeType: 'application/json', text: json(read.data) }, { uri: read.uri, mimeType: 'text/plain', text: read.text }] };
    });
    server.setRequestHandler('completion/complete', async (request, ctx) => {
      const { ref, argument, context } = request.params;
      if (ref.type !== 'ref/resource' || !completerOf(viewIn(ctx).registry, ref.uri, argument.name)) return { completion: { values: [], hasMore: false } };
      const args = { uriTemplate: ref.uri, argument: argument.name, value: argument.value, context: context?.arguments ?? {} };
      const { values } = (await internalCall(app, 'mcp_complete', args, ctx, callerIn(ctx))) as { values: string[] };
      return { completion: { values, total: values.length, hasMore: false } };
    });
    server.setRequestHandler('prompts/list', async (_request, ctx) => ({ prompts: [...viewIn(ctx).prompts] }));
    server.setRequestHandler('prompts/get', async (request, ctx) => {
      if (!viewIn(ctx).registry.prompts.has(request.params.name)) throw notServed(noPrompt(request.params.name));
      const args = { name: request.params.name, arguments: request.params.arguments ?? {} };
      const got = (await internalCall(app, 'mcp_prompts_get', args, ctx, callerIn(ctx))) as { description: string; text: string };
      return { description: got.description, messages: [{ role: 'user' as const, content: { type: 'text' as const, text: got.text } }] };
    });
    return server;
  };
}
