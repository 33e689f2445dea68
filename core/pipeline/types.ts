import type { AwilixContainer } from 'awilix';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AnyTool, ContentBlock } from '../plugin/types.js';
import type { CallScope } from './call-scope.js';
import type { TraceContext } from '../telemetry.js';

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

/** Resolved ids, never raw arguments: an argument may be a 5 MB string or a slug of someone else's project. */
export interface AuditTarget {
  project?: number;
  object?: string;
}

export type Next = () => Promise<void>;
export type Middleware = (call: ToolCall, next: Next) => Promise<void>;
