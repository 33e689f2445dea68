// Epic serializers: list item (with user_stories_counts), full
// (create/update) and the retrieve/by_ref detail (+ neighbors).
import type { Ctx } from '../context.js';
import type { State } from '../state.js';
import { storyIsClosed } from '../story-closing.js';
import type { Epic } from '../types.js';
import { html, isClosedStatus, itemHead, neighbors } from './items.js';

/** Linked stories (of any project) and their summed completion: 1 when closed, else the closed share of its tasks. */
export function userStoriesCounts(state: State, epicId: number) {
  const stories = state.linksOf({ epic: epicId }).map((l) => state.stories.get(l.user_story)).filter((s) => s !== undefined);
  if (!stories.length) return { total: 0, progress: null };
  const progress = stories.reduce((sum, s) => {
    if (storyIsClosed(state, s)) return sum + 1;
    const tasks = state.tasksOfStory(s.id);
    const done = tasks.filter((t) => isClosedStatus(state, 'task_status', t.status)).length;
    return sum + (tasks.length ? done / tasks.length : 0);
  }, 0);
  return { total: stories.length, progress };
}

export function epicListItem(ctx: Ctx, e: Epic) {
  return {
    ...itemHead(ctx, e, 'epic_status'), id: e.id, ref: e.ref, created_date: e.created_date, modified_date: e.modified_date,
    subject: e.subject, color: e.color, epics_order: e.epics_order, client_requirement: e.client_requirement,
    team_requirement: e.team_requirement, version: e.version, watchers: e.watchers, is_blocked: e.is_blocked,
    blocked_note: e.blocked_note, is_closed: isClosedStatus(ctx.state, 'epic_status', e.status),
    user_stories_counts: userStoriesCounts(ctx.state, e.id),
  };
}

export function epicFull(ctx: Ctx, e: Epic) {
  return {
    ...epicListItem(ctx, e), comment: '', blocked_note_html: html(e.blocked_note), description: e.description,
    description_html: html(e.description),
  };
}

/** Default order of /epics: project, epics_order, ref. */
export function epicOrder(a: Epic, b: Epic): number {
  return a.project - b.project || a.epics_order - b.epics_order || a.ref - b.ref;
}

export function epicDetail(ctx: Ctx, e: Epic) {
  const siblings = [...ctx.state.epics.values()].filter((x) => x.project === e.project).sort(epicOrder);
  return { ...epicFull(ctx, e), neighbors: neighbors(siblings, e) };
}
