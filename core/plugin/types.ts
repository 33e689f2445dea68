import type * as v from 'valibot';
import type { Resolver } from 'awilix';
import type { Middleware } from '../pipeline/types.js';
import type { AnyTool, ToolContext } from './tool-types.js';

export type { AuditTarget, AnyTool, ContentBlock, ToolAnnotations, ToolContext, ToolDefinition, ToolInputSchema, ToolOutputSchema } from './tool-types.js';

export interface ToolsetDefinition {
  readonly id: string;
  readonly description: string;
  /** Part of the `default` selection. */
  readonly default: boolean;
}

/** Where a plugin middleware runs in the pipeline (see core/pipeline/order.ts). */
export type MiddlewarePlace = 'before-auth' | 'before-validate' | 'before-handler';

export interface PluginMiddleware {
  readonly name: string;
  readonly place: MiddlewarePlace;
  /** Called once per tool at start-up with that tool's name and the plugin options. */
  create(toolName: string, options: Record<string, unknown>): Middleware;
}

/**
 * An MCP resource template a plugin serves (`taiga://projects/{project}/tasks/{ref}`): read with the
 * caller's default session, same lean data as the tools; variables may be completed.
 */
export interface ResourceDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** RFC 6570 level 1: `{name}` stands for one path segment. */
  readonly uriTemplate: string;
  read(vars: Readonly<Record<string, string>>, ctx: ToolContext): Promise<{ data: unknown; text: string }>;
  /** Values that complete `variable` given what was typed and the variables already known. */
  complete?(variable: string, typed: string, vars: Readonly<Record<string, string>>, ctx: ToolContext): Promise<string[]>;
  /** Concrete resources to list (e.g. the caller's projects). */
  list?(ctx: ToolContext): Promise<Array<{ uri: string; name: string; title?: string }>>;
  /** See ServedOnlyWith. */
  readonly requires?: ServedOnlyWith;
}

/**
 * `requires` of a resource or prompt: the tools it stands for, by name (the tools whose data its
 * `read`, `list`, `complete` or `get` show, and those a prompt tells the agent to call next). It is
 * listed and served only while every one of them is enabled (toolsets, include/exclude, read-only
 * mode); otherwise it answers exactly like one that does not exist. A name must be a tool of a
 * loaded or built-in plugin (PLUGIN_INVALID otherwise). Left out: the plugin's read-only tools
 * (all its tools if it has none; a plugin without tools must say). Since core 1.2.0.
 */
export type ServedOnlyWith = readonly string[];

/** An MCP prompt: it fetches what it needs and names the tools the agent should call next. */
export interface PromptDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly arguments: ReadonlyArray<{ name: string; description: string; required: boolean }>;
  /** Taiga text in `description` and `text` follows the untrusted-text rule (quote, word, block). */
  get(args: Readonly<Record<string, string>>, ctx: ToolContext): Promise<{ description: string; text: string }>;
  /** See ServedOnlyWith. */
  readonly requires?: ServedOnlyWith;
}

export interface PluginDefinition {
  /** Unique; used in config, dependencies, errors and logs. */
  readonly name: string;
  readonly version: string;
  /** semver range of CORE_VERSION this plugin works with, e.g. "^1.0.0". */
  readonly core: string;
  readonly description?: string;
  /** Names of plugins that must be loaded too (their services are used). */
  readonly dependencies?: readonly string[];
  readonly toolset: ToolsetDefinition;
  /** More toolsets some of its tools belong to (`tool.toolset`); the same id may come from several plugins. */
  readonly toolsets?: readonly ToolsetDefinition[];
  readonly tools: readonly AnyTool[];
  /** Field whitelists per Taiga resource: what outputs keep and updates accept. */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
  /**
   * The schema of `plugins.options.<name>` (a valibot object with defaults). A bad value stops start-up
   * naming the key; tools read the result as `ctx.options`.
   */
  readonly options?: v.GenericSchema<unknown, Record<string, unknown>>;
  /** Extra DI registrations (singleton or scoped) this plugin provides. */
  readonly services?: Readonly<Record<string, Resolver<unknown>>>;
  readonly middleware?: readonly PluginMiddleware[];
  readonly resources?: readonly ResourceDefinition[];
  readonly prompts?: readonly PromptDefinition[];
}
