import * as v from 'valibot';
import type { ToolContext } from '../../core/plugin/types.js';
import { pick } from '../../core/schemas.js';
import { quote, word } from '../../core/render/untrusted.js';

type Raw = Record<string, unknown>;

/** A date (midnight UTC) or an ISO 8601 timestamp with a zone; anything else is refused before Taiga is asked. */
export const Moment = v.pipe(
  v.string(),
  v.maxLength(40),
  v.regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/, 'expected a date YYYY-MM-DD or an ISO timestamp with a zone'),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'not a real date'),
);

/** Taiga's timeline is newest first and has no date filter: pages are read until one goes past `since`. */
const TAIGA_PAGE = 100;
/** At most this many Taiga pages per call; past it the answer says where it stopped (`more_before`). */
export const MAX_TAIGA_PAGES = 50;

const KINDS: Record<string, string> = {
  'userstories.userstory': 'user_story', 'tasks.task': 'task', 'issues.issue': 'issue', 'epics.epic': 'epic', 'wiki.wikipage': 'wiki_page',
  'milestones.milestone': 'sprint', 'projects.membership': 'membership', 'projects.project': 'project', 'epics.relateduserstory': 'epic_link',
};
const OBJECT_KEYS = ['userstory', 'task', 'issue', 'epic', 'wikipage', 'milestone', 'relateduserstory'];

export const EventOutput = v.object({
  at: v.string(),
  user: v.optional(v.string()),
  action: v.string(),
  kind: v.string(),
  ref: v.optional(v.number()),
  subject: v.optional(v.string()),
  fields: v.optional(v.array(v.string())),
  comment: v.optional(v.string()),
  project: v.optional(v.string()),
});
export type TimelineEvent = v.InferOutput<typeof EventOutput>;

/** One Taiga timeline entry as who did what to which item: no avatars, no HTML, no repeated project record. */
export function leanEvent(e: Raw, withProject: boolean): TimelineEvent {
  const data = (e['data'] as Raw | undefined) ?? {};
  const type = String(e['event_type'] ?? '');
  const [app, model, action] = type.split('.');
  const object = OBJECT_KEYS.map((k) => data[k] as Raw | undefined).find((o) => o && typeof o === 'object');
  const member = type.startsWith('projects.membership') ? (data['user'] as Raw | undefined) : undefined;
  const comment = typeof data['comment'] === 'string' && data['comment'] && data['comment_deleted'] !== true ? String(data['comment']).slice(0, 300) : undefined;
  return pick({
    at: String(e['created'] ?? '').replace(/\.\d+Z$/, 'Z'),
    user: (data['user'] as Raw | undefined)?.['username'],
    action: action ?? 'change',
    kind: KINDS[`${app}.${model}`] ?? `${app}.${model}`,
    ref: object?.['ref'],
    subject: object?.['subject'] ?? object?.['name'] ?? object?.['slug'] ?? member?.['name'],
    fields: Object.keys((data['values_diff'] as Raw | undefined) ?? {}),
    comment,
    project: withProject ? (data['project'] as Raw | undefined)?.['slug'] : undefined,
  }, ['at', 'user', 'action', 'kind', 'ref', 'subject', 'fields', 'comment', 'project']) as TimelineEvent;
}

export const eventLine = (e: TimelineEvent): string =>
  [
    e.at, e.user === undefined ? '?' : word(e.user), word(e.action), word(e.kind), e.ref === undefined ? '' : `#${e.ref}`,
    e.subject === undefined ? '' : quote(e.subject), e.fields ? `(${e.fields.map(word).join(', ')})` : '',
    e.comment === undefined ? '' : `commented ${quote(e.comment)}`, e.project === undefined ? '' : `in ${word(e.project)}`,
  ].filter(Boolean).join(' ');

export interface TimelineQuery {
  /** `/timeline/project/{id}` or `/timeline/user/{id}`. */
  path: string;
  since: string;
  /** Keep only what this user did (a project timeline holds everyone's). */
  actor?: number;
  page: number;
  pageSize: number;
  withProject: boolean;
}

export interface TimelinePage {
  events: TimelineEvent[];
  total: number | null;
  hasNext: boolean;
  /** Set when the walk stopped at MAX_TAIGA_PAGES before reaching `since`: older events were not read. */
  moreBefore?: string;
}

/**
 * Reads the timeline newest first until it passes `since` (or has enough for this page and one more),
 * keeping the events since then and, for a user timeline, each event once: Taiga writes a
 * user's event once per person related to the object.
 */
export async function readTimeline(ctx: ToolContext, q: TimelineQuery): Promise<TimelinePage> {
  const since = Date.parse(q.since);
  const wanted = q.page * q.pageSize + 1;
  const seen = new Set<string>();
  const kept: Raw[] = [];
  let reachedEnd = false;
  let lastSeen: string | undefined;
  for (let page = 1; page <= MAX_TAIGA_PAGES && !reachedEnd && kept.length < wanted; page += 1) {
    const result = await ctx.taiga.page<Raw>(q.path, {}, { page, pageSize: TAIGA_PAGE });
    for (const e of result.items) {
      const at = Date.parse(String(e['created']));
      lastSeen = String(e['created']);
      if (at < since) {
        reachedEnd = true;
        break;
      }
      if (q.actor !== undefined && ((e['data'] as Raw | undefined)?.['user'] as Raw | undefined)?.['id'] !== q.actor) continue;
      const key = `${String(e['event_type'])}|${String(e['created'])}|${JSON.stringify(e['data'])}`;
      if (seen.has(key)) continue;
      seen.add(key);
      kept.push(e);
    }
    if (!result.hasNext) reachedEnd = true;
  }
  const start = (q.page - 1) * q.pageSize;
  return {
    events: kept.slice(start, start + q.pageSize).map((e) => leanEvent(e, q.withProject)),
    hasNext: kept.length > start + q.pageSize,
    total: reachedEnd ? kept.length : null,
    ...(!reachedEnd && kept.length < wanted && lastSeen !== undefined && { moreBefore: lastSeen }),
  };
}
