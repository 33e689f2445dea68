import type * as v from 'valibot';
import type { ChoiceKind } from '../resolve/project-metadata.js';
import type { ToolContext } from '../plugin/types.js';
import type { Query } from '../taiga/request-target.js';

/** Where a field's value is being turned into Taiga's terms. */
export interface FieldContext {
  readonly ctx: ToolContext;
  readonly kind: WorkItemKind;
  readonly project: number;
  /** The argument's name, for messages (`stories.2.status` in a batch). */
  readonly field: string;
}

/** One argument of a kind's tools: its schema, and what its value sets in Taiga's terms (names resolved to ids). */
export interface FieldSpec<C extends FieldContext, T = never> {
  readonly schema: v.GenericSchema;
  apply(value: T, c: C): void | Promise<void>;
}

export interface WriteContext extends FieldContext {
  /** The Taiga body being built; names have become ids in it. */
  readonly body: Record<string, unknown>;
}

/** One settable field: how its value becomes Taiga body entries (the catalog is inputs.ts). */
export type InputField<T = never> = FieldSpec<WriteContext, T>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyInputField = InputField<any>;

export interface FilterContext extends FieldContext {
  readonly query: Query;
}

/** One list filter: the Taiga query parameters its value sets (the catalog is filters.ts); `exclude`, the negated ones. */
export interface FilterField<T = never> extends FieldSpec<FilterContext, T> {
  exclude?(value: T, c: FilterContext): void | Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFilterField = FilterField<any>;

/**
 * What one kind of Taiga work item is: epics, user stories, tasks and issues are the same kind of
 * thing in Taiga (taiga-api.md §7, §9.5-9.8): project-scoped, with a `ref` from the project's shared
 * sequence, a `by_ref` endpoint, a status, an assignee, tags, a `version` Taiga checks on every write,
 * and lists with the same filters and paging. A kind declares only what differs; the tools of
 * work-items/tools/ do the rest. Third-party plugins declare their own kinds the same way.
 */
export interface WorkItemKind {
  /** Singular snake_case: tool names (`get_task`) and the id argument (`task_id`). */
  readonly name: string;
  /** Plural snake_case: `list_tasks`. */
  readonly plural: string;
  /** For titles and messages: "user story" / "user stories". */
  readonly label: string;
  readonly labelPlural: string;
  /** Taiga's route: `/tasks`. */
  readonly endpoint: string;
  /** Taiga's history type (`/history/{type}/{id}`). */
  readonly historyType: string;
  readonly status: ChoiceKind;
  /** Settable fields by argument name; create and update accept exactly these. */
  readonly write: Readonly<Record<string, AnyInputField>>;
  /** List filters by argument name. */
  readonly filters: Readonly<Record<string, AnyFilterField>>;
  /** Field whitelists (names in work-items/outputs.ts) of a list item and of `get_`. */
  readonly list: readonly string[];
  readonly detail: readonly string[];
  /**
   * Taiga fields that board moves (into a sprint, backlog and kanban order) change without bumping
   * `version` (taiga-api.md §7): a given version also guards them, see shown-versions.ts.
   */
  readonly boardFields: readonly string[];
  /** User stories have co-assignees (`assigned_users`) besides `assigned_to`. */
  readonly coAssignees?: boolean;
  /** What deleting one also removes, said in delete_'s description (stories: their tasks). */
  readonly deletes?: string;
  /** The path segment of its MCP resource: `taiga://projects/{project}/<uriSegment>/{ref}`. */
  readonly uriSegment?: string;
}

export function defineWorkItem(kind: WorkItemKind): WorkItemKind {
  return kind;
}

/** `task_id`: the argument that names one item. */
export const idArg = (kind: WorkItemKind): string => `${kind.name}_id`;

export const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
