// User story serializers: list item (51 keys), detail, the nested shape used
// inside milestones, and `only_ref`.
import type { Ctx } from '../context.js';
import type { State } from '../state.js';
import { storyIsClosed } from '../story-closing.js';
import type { UserStory } from '../types.js';
import { dueDateFields, html, itemHead, neighbors } from './items.js';

export { projectExtraInfo, tagsOut } from './items.js';
export { storyIsClosed } from '../story-closing.js';

export function totalPoints(state: State, s: UserStory): number | null {
  const values = Object.values(s.points)
    .map((id) => state.choice('points', id)?.value)
    .filter((v): v is number => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

/** The story's epics, as in `epics` and a task's `user_story_extra_info`; null when none. */
export function epicsOfStory(state: State, storyId: number) {
  const epics = state.epicIdsOfStory(storyId).map((id) => state.epics.get(id)).filter((e) => e !== undefined);
  if (!epics.length) return null;
  return epics.map((e) => {
    const p = state.projects.get(e.project)!;
    return { id: e.id, ref: e.ref, subject: e.subject, color: e.color, project: { id: p.id, name: p.name, slug: p.slug } };
  });
}

/** `include_tasks`: the story's tasks in their `us_order`. */
function tasksOut(state: State, s: UserStory) {
  return state.tasksOfStory(s.id)
    .sort((a, b) => a.us_order - b.us_order || a.id - b.id)
    .map((t) => ({
      id: t.id, ref: t.ref, subject: t.subject, status_id: t.status, is_blocked: t.is_blocked, is_iocaine: t.is_iocaine,
      is_closed: state.choice('task_status', t.status)?.is_closed ?? false,
    }));
}

/** With `?epic=` the order of the link to the first epic asked for. */
function epicOrder(ctx: Ctx, s: UserStory): number | null {
  const first = Number((ctx.query['epic'] ?? '').split(',')[0]);
  if (!first) return null;
  return ctx.state.linksOf({ epic: first, story: s.id })[0]?.order ?? null;
}

export function storyListItem(ctx: Ctx, s: UserStory) {
  const { state } = ctx;
  const milestone = s.milestone ? state.milestones.get(s.milestone) : undefined;
  const closed = storyIsClosed(state, s);
  const origin = s.generated_from_issue ? state.issues.get(s.generated_from_issue) : undefined;
  const { tags, attachments, ...head } = itemHead(ctx, s, 'us_status');
  return {
    ...dueDateFields(s, closed), total_comments: state.history.totalComments('userstory', s.id), tags, attachments, ...head,
    id: s.id, ref: s.ref, milestone: s.milestone, milestone_slug: milestone?.slug ?? null, milestone_name: milestone?.name ?? null,
    is_closed: closed, points: s.points, backlog_order: s.backlog_order, sprint_order: s.sprint_order, kanban_order: s.kanban_order,
    created_date: s.created_date, modified_date: s.modified_date, finish_date: closed ? (s.finish_date ?? s.modified_date) : null,
    subject: s.subject, client_requirement: s.client_requirement, team_requirement: s.team_requirement,
    generated_from_issue: s.generated_from_issue, generated_from_task: s.generated_from_task, from_task_ref: s.from_task_ref,
    external_reference: s.external_reference, tribe_gig: null, version: s.version, watchers: s.watchers,
    is_blocked: s.is_blocked, blocked_note: s.blocked_note, total_points: totalPoints(state, s), comment: '',
    origin_issue: origin ? { id: origin.id, ref: origin.ref, subject: origin.subject } : null, origin_task: null,
    epics: epicsOfStory(state, s.id), epic_order: epicOrder(ctx, s),
    tasks: ctx.query['include_tasks'] !== undefined ? tasksOut(state, s) : [],
    total_attachments: state.attachmentsOf('userstory', s.id).length, swimlane: s.swimlane, assigned_users: s.assigned_users,
  };
}

export function storyDetail(ctx: Ctx, s: UserStory, withNeighbors = false) {
  const detail: Record<string, unknown> = {
    ...storyListItem(ctx, s), blocked_note_html: html(s.blocked_note), description: s.description, description_html: html(s.description),
  };
  if (withNeighbors) {
    const siblings = ctx.state.storiesOf(s.project).sort((a, b) => a.backlog_order - b.backlog_order || a.ref - b.ref);
    detail['neighbors'] = neighbors(siblings, s);
  }
  return detail;
}

/** UserStoryNestedSerializer, inside milestone items. */
export function storyNested(ctx: Ctx, s: UserStory) {
  const full = storyListItem(ctx, s);
  const keys = [
    'due_date', 'due_date_reason', 'due_date_status', 'assigned_to', 'assigned_to_extra_info', 'status', 'status_extra_info',
    'project', 'project_extra_info', 'id', 'ref', 'milestone', 'is_closed', 'created_date', 'modified_date', 'finish_date',
    'subject', 'client_requirement', 'team_requirement', 'external_reference', 'version', 'is_blocked', 'blocked_note',
    'backlog_order', 'sprint_order', 'kanban_order', 'epics', 'points', 'total_points',
  ] as const;
  return Object.fromEntries(keys.map((k) => [k, full[k]]));
}
