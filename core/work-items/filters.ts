import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import type { ToolContext } from '../plugin/types.js';
import type { ChoiceKind } from '../resolve/project-metadata.js';
import type { Query } from '../taiga/request-target.js';
import { Flag, IdOrName, NullableIdOrName, Tag, Text } from '../schemas.js';
import type { AnyFilterField, FilterContext, WorkItemKind } from './kind.js';
import { itemId, USER_STORY_TARGET, type ItemTarget } from './access.js';
import { dateRange, DateRange } from './date-range.js';

const EPIC: ItemTarget = { name: 'epic', label: 'epic', endpoint: '/epics' };
const MAX_VALUES = 50;

/** One value, or a list of them (Taiga ORs a list). */
export const OneOrMany = <S extends v.GenericSchema>(one: S) => v.union([one, v.pipe(v.array(one), v.minLength(1), v.maxLength(MAX_VALUES))]);
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

type Resolve = (value: number | string, c: FilterContext) => Promise<number>;

/**
 * A filter Taiga takes as a comma list of ids (`status=1,2`, "null" for none) with an
 * `exclude_` twin (taiga-back's BaseRelatedFieldsFilter): names resolved one by one.
 */
function multi(param: (c: FilterContext) => string, resolve: Resolve, nullable: boolean): AnyFilterField {
  const ids = async (value: unknown, c: FilterContext): Promise<string> => {
    const out: string[] = [];
    for (const one of list(value as number | string | null)) out.push(one === null ? 'null' : String(await resolve(one, c)));
    return [...new Set(out)].join(',');
  };
  return {
    schema: OneOrMany(nullable ? NullableIdOrName : IdOrName),
    apply: async (value, c) => void (c.query[param(c)] = await ids(value, c)),
    exclude: async (value, c) => void (c.query[`exclude_${param(c)}`] = await ids(value, c)),
  };
}

/** A choice filter (priority, severity, type…) by name or id, one or several. */
export function choiceFilter(kind: ChoiceKind, param: string): AnyFilterField {
  return multi(() => param, (value, c) => c.ctx.resolve.choice(c.project, kind, value, c.field), false);
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

/** A date range (`from..to`) on Taiga's `<param>__gte` / `__lt` / `__lte`. */
export function dateFilter(param: string): AnyFilterField {
  return { schema: DateRange, apply: (value: string, c: FilterContext) => void Object.assign(c.query, dateRange(param, value, c.field)) };
}

const user: Resolve = (value, c) => c.ctx.resolve.user(c.project, value, c.field);

/** Epics take one assignee: Taiga also matches `assigned_to` exactly there, and a list is its 400. */
function singleAssignee(): AnyFilterField {
  const base = multi(() => 'assigned_to', user, true);
  return {
    ...base,
    apply: async (value, c) => {
      if (Array.isArray(value) && value.length > 1) throw new TaigaMcpError('INVALID_INPUT', { message: `${c.field}: Taiga filters epics by one assignee (exclude takes several).`, details: { fields: { [c.field]: 'one assignee' } } });
      await base.apply(value as never, c);
    },
  };
}

/**
 * `order_by`: one of the kind's Taiga order fields, `-field` descending. Taiga silently ignores
 * any other field, so an unknown one is refused here rather than answered in the default order.
 */
export function orderBy(fields: readonly string[]): AnyFilterField {
  const known = new Set(fields);
  return {
    schema: v.pipe(v.string(), v.maxLength(40), v.check((s) => known.has(s.replace(/^-/, '')), `expected one of ${fields.join(', ')} (-field: descending)`)),
    apply: (value: string, c: FilterContext) => void (c.query['order_by'] = value),
  };
}

export const filters = {
  status: multi(() => 'status', (value, c) => c.ctx.resolve.choice(c.project, c.kind.status, value, c.field), false),
  /** On stories Taiga's `assigned_users` matches a co-assignee as well as `assigned_to`. */
  assigned_to: multi((c) => (c.kind.coAssignees ? 'assigned_users' : 'assigned_to'), user, true),
  epicAssignee: singleAssignee(),
  owner: multi(() => 'owner', user, false),
  /** Taiga's `watchers` (one or several users); it has no exclude. */
  watcher: { schema: OneOrMany(IdOrName), apply: async (value: number | string | Array<number | string>, c: FilterContext) => {
    const ids: number[] = [];
    for (const one of list(value)) ids.push(await user(one, c));
    c.query['watchers'] = [...new Set(ids)].join(',');
  } },
  sprint: {
    schema: NullableIdOrName,
    apply: async (value: number | string | null, c: FilterContext) => void (c.query['milestone'] = value === null ? 'null' : await c.ctx.resolve.sprint(c.project, value, c.field)),
  },
  tags: {
    schema: OneOrMany(Tag),
    apply: (value: string | string[], c: FilterContext) => void (c.query['tags'] = list(value).join(',')),
    exclude: (value: string | string[], c: FilterContext) => void (c.query['exclude_tags'] = list(value).join(',')),
  },
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
  created: dateFilter('created_date'),
  modified: dateFilter('modified_date'),
  /** Tasks and issues: `finished_date`; stories say `finish_date`. */
  finished: dateFilter('finished_date'),
  finish: dateFilter('finish_date'),
} satisfies Record<string, AnyFilterField>;

/** The `exclude` argument: the kind's filters that Taiga can negate, each with the same values. */
export function excludeSchema(kind: WorkItemKind): v.GenericSchema | undefined {
  const names = Object.entries(kind.filters).filter(([, f]) => f.exclude).map(([name]) => name);
  if (names.length === 0) return undefined;
  // Each value is checked against its filter's own schema (toTaigaQuery); the list of keys is said once in the instructions.
  return v.pipe(v.record(v.picklist(names), v.unknown()), v.maxEntries(names.length));
}

export async function toTaigaQuery(ctx: ToolContext, kind: WorkItemKind, project: number | undefined, args: Record<string, unknown>): Promise<Query> {
  const query: Query = project === undefined ? {} : { project };
  const at = project ?? 0;
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    if (name === 'exclude') {
      for (const [key, negated] of Object.entries(value as Record<string, unknown>)) {
        const filter = kind.filters[key];
        if (!filter?.exclude || negated === undefined) continue;
        const field = `exclude.${key}`;
        const checked = v.safeParse(filter.schema, negated);
        if (!checked.success) throw new TaigaMcpError('INVALID_INPUT', { message: `${field}: ${checked.issues[0].message}`, details: { fields: { [field]: checked.issues[0].message } } });
        await filter.exclude(checked.output as never, { ctx, kind, project: at, field, query });
      }
      continue;
    }
    const filter = kind.filters[name];
    if (filter !== undefined) await filter.apply(value as never, { ctx, kind, project: at, field: name, query });
  }
  return query;
}
