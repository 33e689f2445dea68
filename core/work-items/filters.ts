import type { ToolContext } from '../plugin/types.js';
import type { ChoiceKind } from '../resolve/project-metadata.js';
import type { Query } from '../taiga/request-target.js';
import { Flag, IdOrName, NullableIdOrName, NullableUserRef, Tags, Text } from '../schemas.js';
import type { AnyFilterField, FilterContext, WorkItemKind } from './kind.js';
import { itemId, USER_STORY_TARGET, type ItemTarget } from './access.js';


const EPIC: ItemTarget = { name: 'epic', label: 'epic', endpoint: '/epics' };

/** A choice filter (priority, severity, type…) by name or id. */
export function choiceFilter(kind: ChoiceKind, param: string): AnyFilterField {
  return { schema: IdOrName, apply: async (value, c) => void (c.query[param] = await c.ctx.resolve.choice(c.project, kind, value, c.field)) };
}

/** A Taiga boolean filter taken as it is (`status__is_closed`, `is_iocaine`…). */
export function flagFilter(param: string): AnyFilterField {
  return { schema: Flag, apply: (value, c) => void (c.query[param] = value) };
}

/** An item of another kind by id or "#ref" (null: none), as Taiga's `param` filter. */
export function linkFilter(target: ItemTarget, param: string): AnyFilterField {
  return {
    schema: NullableIdOrName,
    apply: async (value: number | string | null, c: FilterContext) => void (c.query[param] = value === null ? 'null' : await itemId(c.ctx, target, value, c.project, c.field)),
  };
}

export const filters = {
  status: {
    schema: IdOrName,
    apply: async (value: number | string, c: FilterContext) => void (c.query['status'] = await c.ctx.resolve.choice(c.project, c.kind.status, value, c.field)),
  },
  /** On stories Taiga's `assigned_users` matches a co-assignee as well as `assigned_to`. */
  assigned_to: {
    schema: NullableUserRef,
    apply: async (value: number | string | null, c: FilterContext) => {
      c.query[c.kind.coAssignees ? 'assigned_users' : 'assigned_to'] = value === null ? 'null' : await c.ctx.resolve.user(c.project, value, c.field);
    },
  },
  sprint: {
    schema: NullableIdOrName,
    apply: async (value: number | string | null, c: FilterContext) => void (c.query['milestone'] = value === null ? 'null' : await c.ctx.resolve.sprint(c.project, value, c.field)),
  },
  tags: { schema: Tags, apply: (value: string[], c: FilterContext) => void (value.length > 0 && (c.query['tags'] = value.join(','))) },
  /** By status (closed statuses); stories use `closedByTasks` instead. */
  closed: flagFilter('status__is_closed'),
  /** A story is closed when all its tasks are, whatever its status (taiga-api.md §9.6). */
  closedByTasks: flagFilter('is_closed'),
  search: { schema: Text(200), apply: (value: string, c: FilterContext) => void (value.trim() && (c.query['q'] = value.trim())) },
  user_story: linkFilter(USER_STORY_TARGET, 'user_story'),
  epic: linkFilter(EPIC, 'epic'),
  priority: choiceFilter('priority', 'priority'),
  severity: choiceFilter('severity', 'severity'),
  type: choiceFilter('issue_type', 'type'),
} satisfies Record<string, AnyFilterField>;

export async function toTaigaQuery(ctx: ToolContext, kind: WorkItemKind, project: number, args: Record<string, unknown>): Promise<Query> {
  const query: Query = { project };
  for (const [name, value] of Object.entries(args)) {
    const filter = kind.filters[name];
    if (filter !== undefined && value !== undefined) await filter.apply(value as never, { ctx, kind, project, field: name, query });
  }
  return query;
}
