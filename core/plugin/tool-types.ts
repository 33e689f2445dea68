import type * as v from 'valibot';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Logger } from '../logger.js';
import type { TaigaSession } from '../sessions/taiga-session.js';
import type { NameResolver } from '../resolve/name-resolver.js';
import type { SessionView } from '../sessions/types.js';
import type { ConfirmationRequest } from '../confirm/request.js';

// A tool's types, apart from the plugin manifest's (types.ts): the pipeline's ToolCall holds a
// tool, and a plugin holds the pipeline's Middleware; neither may need the other's file.

/** Resolved ids, never raw arguments: an argument may be a 5 MB string or a slug of someone else's project. */
export interface AuditTarget {
  project?: number;
  object?: string;
}

/** MCP tool annotations. All four are required: clients use them to decide on approvals. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a handler gets besides its validated arguments; one per tool call. */
export interface ToolContext {
  /** Taiga API bound to the caller's session (refreshes tokens itself). */
  readonly taiga: TaigaSession;
  /** The caller's session (id already shortened). */
  readonly session: SessionView;
  /** Turns slugs, #refs, names, usernames and "me" into Taiga ids. */
  readonly resolve: NameResolver;
  readonly log: Logger;
  /** What the audit line of a write names: set the project and object your tool touched. */
  readonly audit: AuditTarget;
  readonly signal: AbortSignal;
  readonly requestId: string;
  /** Sends an MCP progress notification when the client asked for them. */
  progress(done: number, total: number, message?: string): Promise<void>;
  /** Resolves any other registration of the call scope (plugin services). */
  service<T>(name: string): T;
  /** The plugin's own options (`plugins.options.<name>`), validated against its `options` schema at start-up. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Adds a content block after the text one (an embedded file, an image). */
  addContent(block: ContentBlock): void;
  /**
   * Asks the person behind the agent to confirm the write this handler is about to make, when the
   * `confirmations` setting and the client allow (elicitation); call it after reading what the write
   * goes against and before writing anything. The handler then runs again with the answer, and reads
   * again: when `version` or the question differ from what the person saw, it fails with
   * VERSION_CONFLICT, nothing written. Returns when the write may go on; throws DECLINED when the
   * person said no. Declare `confirmation: 'handler'` on a tool that calls it.
   */
  confirm(request: ConfirmationRequest): Promise<void>;
}

export type ContentBlock = CallToolResult['content'][number];

/** Input schemas are valibot object schemas; the core adds `session_id` to them. */
export type ToolInputSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>
  | v.StrictObjectSchema<v.ObjectEntries, v.ErrorMessage<v.StrictObjectIssue> | undefined>;
export type ToolOutputSchema = v.GenericSchema<unknown, Record<string, unknown>>;

export interface ToolDefinition<I extends ToolInputSchema = ToolInputSchema, O extends ToolOutputSchema = ToolOutputSchema> {
  /** snake_case, unique across all plugins. */
  readonly name: string;
  readonly title: string;
  /** Terse: every word costs context in every agent that lists the tools. */
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly annotations: ToolAnnotations;
  /** `session` (default): needs a Taiga session. `none`: runs without one (login). */
  readonly auth?: 'session' | 'none';
  /**
   * `handler`: the handler asks the person itself, with ctx.confirm(), from what it reads. Otherwise
   * a tool annotated `destructiveHint` is asked about before its handler runs, from its arguments.
   */
  readonly confirmation?: 'handler';
  /** A toolset other than the plugin's own (declared in the plugin's `toolsets`), e.g. "bulk". */
  readonly toolset?: string;
  handler(args: v.InferOutput<I>, ctx: ToolContext): Promise<v.InferOutput<O>>;
  /** Compact text for the `content` block; defaults to compact JSON. */
  render?(result: v.InferOutput<O>): string;
}

/** Any tool, whatever its schemas (for collections). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any, any>;
