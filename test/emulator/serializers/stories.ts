// User story serializers: list item (51 keys), detail, the nested shape used
// inside milestones, and `only_ref`.
import type { Ctx } from '../context.js';
import type { State } from '../state.js';
import type { Project, UserStory } from '../types.js';
import { userBasicInfo } from './users.js';

export function projectExtraInfo(p: Project) {
  return { name: p.name, slug: p.slug, logo_small_url: null, id: p.id };
}

/** §9.6: with tasks, closed only when all tasks are; otherwise the status decides. */
export function storyIsClosed(state: State, s: UserStory): boolean {
  const tasks = state.tasksOfStory(s.id);
  if (tasks.length > 0) return tasks.every((t) => t.is_closed);
  return state.choice('us_status', s.status)?.is_closed ?? false;
}

export function totalPoints(state: State, s: UserStory): number | null {
  const values = Object.values(s.points)
    .map((id) => state.choice('points', id)?.value)
    .filter((v): v is number => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

export function tagsOut(project: Project, tags: string[]): [string, string | null][] {
  return tags.map((t) => [t, project.tags_colors[t] ?? null]);
}

function epicsOut(state: State, s: UserStory) {
  if (!s.epics.length) return null;
  return s.epics
    .map((id) => state.epics.get(id))
    .filter((e) => e !== undefined)
    .map((e) => {
      const p = state.projects.get(e.project)!;
      return { id: e.id, ref: e.ref, subject: e.subject, color: e.color, project: { id: p.id, name: p.name, slug: p.slug } };
    });
}

function statusExtraInfo(state: State, statusId: number) {
  const st = state.choice('us_status', statusId);
  return st ? { name: st.name, color: st.color, is_closed: st.is_closed } : null;
}

function dueDateStatus(s: UserStory, closed: boolean): string {
  if (!s.due_date) return 'not_set';
  if (closed) return 'no_longer_applicable';
  const days = (Date.parse(s.due_date) - Date.now()) / 86_400_000;
  return days < 0 ? 'past_due' : days <= 14 ? 'due_soon' : 'set';
}

export function storyListItem(ctx: Ctx, s: UserStory) {
  const { state, user } = ctx;
  const project = state.projects.get(s.project)!;
  const milestone = s.milestone ? state.milestones.get(s.milestone) : undefined;
  const closed = storyIsClosed(state, s);
  return {
    due_date: s.due_date, due_date_reason: s.due_date_reason, due_date_status: dueDateStatus(s, closed),
    total_comments: s.total_comments, tags: tagsOut(project, s.tags), attachments: [],
    status: s.status, status_extra_info: statusExtraInfo(state, s.status),
    assigned_to: s.assigned_to, assigned_to_extra_info: s.assigned_to ? userBasicInfo(state.users.get(s.assigned_to)) : null,
    owner: s.owner, owner_extra_info: s.owner ? userBasicInfo(state.users.get(s.owner)) : null,
    is_watcher: !!user && s.watchers.includes(user.id), total_watchers: s.watchers.length,
    is_voter: !!user && s.voters.includes(user.id), total_voters: s.voters.length,
    project: s.project, project_extra_info: projectExtraInfo(project),
    id: s.id, ref: s.ref, milestone: s.milestone, milestone_slug: milestone?.slug ?? null, milestone_name: milestone?.name ?? null,
    is_closed: closed, points: s.points, backlog_order: s.backlog_order, sprint_order: s.sprint_order, kanban_order: s.kanban_order,
    created_date: s.created_date, modified_date: s.modified_date, finish_date: closed ? (s.finish_date ?? s.modified_date) : null,
    subject: s.subject, client_requirement: s.client_requirement, team_requirement: s.team_requirement,
    generated_from_issue: s.generated_from_issue, generated_from_task: s.generated_from_task, from_task_ref: null,
    external_reference: s.external_reference, tribe_gig: null, version: s.version, watchers: s.watchers,
    is_blocked: s.is_blocked, blocked_note: s.blocked_note, total_points: totalPoints(state, s), comment: '',
    origin_issue: null, origin_task: null, epics: epicsOut(state, s), epic_order: null, tasks: [],
    total_attachments: s.total_attachments, swimlane: s.swimlane, assigned_users: s.assigned_users,
  };
}

export function storyDetail(ctx: Ctx, s: UserStory, withNeighbors = false) {
  const detail: Record<string, unknown> = {
    ...storyListItem(ctx, s),
    blocked_note_html: s.blocked_note ? `<p>${s.blocked_note}</p>` : '',
    description: s.description,
    description_html: s.description ? `<p>${s.description}</p>` : '',
  };
  if (withNeighbors) detail['neighbors'] = neighbors(ctx, s);
  return detail;
}

function neighbors(ctx: Ctx, s: UserStory) {
  const siblings = ctx.state.storiesOf(s.project).sort((a, b) => a.backlog_order - b.backlog_order || a.ref - b.ref);
  const i = siblings.findIndex((x) => x.id === s.id);
  const brief = (x: UserStory | undefined) => (x ? { id: x.id, ref: x.ref, subject: x.subject } : null);
  return { previous: brief(siblings[i - 1]), next: brief(siblings[i + 1]) };
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
