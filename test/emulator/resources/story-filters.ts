// The /userstories list filters of §8 with taiga-back's error messages.
import type { Ctx } from '../context.js';
import { badRequest } from '../http.js';
import { storyIsClosed } from '../story-closing.js';
import type { UserStory } from '../types.js';
import { bool, commonFilters, dateFilters, fullNameOf, idList, multi, ordering, rolesOf, type Pred } from './item-filters.js';

const assignees = (s: UserStory) => [...new Set([...s.assigned_users, ...(s.assigned_to ? [s.assigned_to] : [])])];

export function storyFilters(ctx: Ctx): Pred<UserStory>[] {
  const { query: q, state } = ctx;
  const preds = commonFilters<UserStory>(ctx);
  if (q['milestone'] !== undefined) {
    const m = q['milestone'];
    if (m !== 'null' && !/^\d+$/.test(m)) throw badRequest('Error in filter params types.');
    preds.push((s) => (m === 'null' ? s.milestone === null : s.milestone === Number(m)));
  }
  if (q['milestone__isnull'] !== undefined) preds.push((s) => (s.milestone === null) === bool(q['milestone__isnull']!));
  if (q['is_closed'] !== undefined) preds.push((s) => storyIsClosed(state, s) === bool(q['is_closed']!));
  if (q['status__is_closed'] !== undefined) {
    preds.push((s) => (state.choice('us_status', s.status)?.is_closed ?? false) === bool(q['status__is_closed']!));
  }
  if (q['status__is_archived'] !== undefined) {
    preds.push((s) => (state.choice('us_status', s.status)?.is_archived ?? false) === bool(q['status__is_archived']!));
  }
  preds.push(...multi(ctx, 'status', (s: UserStory) => [s.status]));
  preds.push(...multi(ctx, 'assigned_to', (s: UserStory) => [s.assigned_to]));
  preds.push(...multi(ctx, 'assigned_users', assignees));
  preds.push(...multi(ctx, 'owner', (s: UserStory) => [s.owner]));
  preds.push(...multi(ctx, 'epic', (s: UserStory) => state.epicIdsOfStory(s.id)));
  // The swimlane parameter is misspelled in taiga-back (README #15); `?swimlane=` is ignored.
  for (const [param, negate] of [['swimnlane', false], ['exclude_swimlane', true]] as const) {
    if (q[param] === undefined) continue;
    const { ids, withNull } = idList(q[param]);
    preds.push((s) => (s.swimlane === null ? withNull : ids.has(s.swimlane)) !== negate);
  }
  preds.push(...multi(ctx, 'role', (s: UserStory) => rolesOf(ctx, s.project, assignees(s))));
  preds.push(...dateFilters(ctx, 'finish_date', (s: UserStory) => s.finish_date));
  return preds;
}

const field = (name: keyof UserStory) => (s: UserStory) => s[name] as string | number | null;

export function storyComparator(ctx: Ctx): (a: UserStory, b: UserStory) => number {
  const fields: Record<string, (s: UserStory) => string | number | null> = {
    ...Object.fromEntries(['backlog_order', 'sprint_order', 'kanban_order', 'project', 'milestone', 'created_date', 'modified_date', 'subject'].map((f) => [f, field(f as keyof UserStory)])),
    // A foreign key orders by its model's ordering: a status by its `order`.
    status: (s) => ctx.state.choice('us_status', s.status)?.order ?? 0,
    assigned_to: (s) => fullNameOf(ctx, s.assigned_to),
    total_voters: (s) => s.voters.length,
  };
  return ordering(ctx, fields, (a, b) => a.project - b.project || a.backlog_order - b.backlog_order || a.ref - b.ref);
}
