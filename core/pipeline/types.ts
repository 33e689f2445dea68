import type { AwilixContainer } from 'awilix';
import type { CallToolResult, InputRequiredResult } from '@modelcontextprotocol/server';
import type { AnyTool, AuditTarget, ContentBlock } from '../plugin/tool-types.js';
import type { ConfirmationChannel } from '../confirm/channel.js';
import type { ConfirmationRequest } from '../confirm/request.js';
import type { CallScope } from './call-scope.js';
import type { TraceContext } from '../tracing/types.js';

/** The state of one tool call as it travels through the pipeline. */
export interface ToolCall {
  readonly tool: AnyTool;
  readonly plugin: string;
  /** Arguments as the client sent them. */
  readonly rawArgs: Record<string, unknown>;
  /** Arguments after `validate`. */
  args: Record<string, unknown> | undefined;
  /** The call's awilix scope (made when first read): resolve plugin services here. */
  readonly scope: AwilixContainer;
  /** What the call provides, without an awilix scope until one is needed (see call-scope.ts). */
  readonly callScope?: CallScope;
  readonly requestId: string;
  readonly signal: AbortSignal;
  /** Who is calling from where (an IP for HTTP, "stdio" for a desktop agent): the unit of the login limit. */
  readonly source: string;
  /** Who is calling: the HTTP principal (API key, OAuth subject, client certificate), or `local` on stdio; their login sessions are theirs alone. */
  readonly principal: string;
  readonly startedAt: number;
  /** The caller's W3C trace context (`_meta` or the HTTP `traceparent` header), read only when tracing is on. */
  readonly traceContext?: TraceContext | undefined;
  /** Whether and how the client can ask its person (set by the MCP server; absent: it cannot). */
  readonly confirmationChannel?: ConfirmationChannel;
  /** Set by `confirm`: asks the person behind the agent (ToolContext.confirm). */
  confirm?: (request: ConfirmationRequest) => Promise<void>;
  /** Set by `translate-error` when the person must be asked first: what the call answers instead of a result. */
  inputRequired?: InputRequiredResult;
  /** Set by `auth`. */
  session?: { id: string; username: string; userId: number };
  /** Set by `auth`: the key of the caller's tool-call budget. */
  rateKey?: string;
  /** What the audit line says the call touched: filled in as names are resolved and items are loaded. */
  readonly audit: AuditTarget;
  /** Set by the handler stage. */
  output?: Record<string, unknown>;
  /** Blocks a handler added after the text one (ctx.addContent). */
  extraContent?: ContentBlock[];
  result?: CallToolResult;
}

export type Next = () => Promise<void>;
export type Middleware = (call: ToolCall, next: Next) => Promise<void>;
