// Project serializers: list item (ProjectSerializer), slight, and detail.
import type { Ctx } from '../context.js';
import { isProjectAdmin, userPermissions } from '../permissions.js';
import type { State } from '../state.js';
import type { AttributeKind, ChoiceKind, DueDateKind, Project } from '../types.js';
import { choiceInProject, roleInProject } from './choices.js';
import { userBasicInfo } from './users.js';

function members(ctx: Ctx, p: Project) {
  return ctx.state
    .membershipsOf(p.id)
    .filter((m) => m.user !== null)
    .map((m) => ({ m, u: ctx.state.users.get(m.user!)! }))
    .sort((a, b) => a.u.full_name.localeCompare(b.u.full_name));
}

export function projectListItem(ctx: Ctx, p: Project, slight = false) {
  const { state, user } = ctx;
  const membership = state.membership(p.id, user?.id);
  const d = p.defaults;
  const milestones = [...state.milestones.values()].filter((m) => m.project === p.id);
  const activity = state.timeline.countOf(p.id);
  const item: Record<string, unknown> = {
    id: p.id, name: p.name, slug: p.slug, description: p.description, created_date: p.created_date, modified_date: p.modified_date,
    owner: userBasicInfo(state.users.get(p.owner)), members: members(ctx, p).map(({ u }) => u.id),
    total_milestones: p.total_milestones, total_story_points: p.total_story_points,
    is_contact_activated: p.is_contact_activated, is_epics_activated: p.is_epics_activated, is_backlog_activated: p.is_backlog_activated,
    is_kanban_activated: p.is_kanban_activated, is_wiki_activated: p.is_wiki_activated, is_issues_activated: p.is_issues_activated,
    videoconferences: p.videoconferences, videoconferences_extra_data: p.videoconferences_extra_data, creation_template: p.creation_template,
    is_private: p.is_private, anon_permissions: p.anon_permissions, public_permissions: p.public_permissions, is_featured: p.is_featured,
    is_looking_for_people: p.is_looking_for_people, looking_for_people_note: p.looking_for_people_note, blocked_code: p.blocked_code,
    totals_updated_datetime: p.modified_date, total_fans: p.fans.length, total_fans_last_week: p.fans.length,
    total_fans_last_month: p.fans.length, total_fans_last_year: p.fans.length, total_activity: activity,
    total_activity_last_week: activity, total_activity_last_month: activity, total_activity_last_year: activity,
    tags: p.tags, tags_colors: p.tags_colors,
    default_epic_status: d.epic_status ?? null, default_points: d.points ?? null, default_us_status: d.us_status ?? null,
    default_task_status: d.task_status ?? null, default_priority: d.priority ?? null, default_severity: d.severity ?? null,
    default_issue_status: d.issue_status ?? null, default_issue_type: d.issue_type ?? null,
    default_swimlane: [...state.swimlanes.values()].filter((s) => s.project === p.id).sort((a, b) => a.order - b.order)[0]?.id ?? null,
    my_permissions: [...userPermissions(state, p, user)], i_am_owner: user?.id === p.owner, i_am_admin: isProjectAdmin(ctx, p),
    i_am_member: !!membership, notify_level: user ? 1 : null,
    total_closed_milestones: milestones.filter((m) => m.closed).length,
    is_watcher: !!user && p.watchers.includes(user.id), total_watchers: p.watchers.length, logo_small_url: null, logo_big_url: null,
    is_fan: !!user && p.fans.includes(user.id), my_homepage: user ? false : '{}', // sic: a string for anonymous callers
  };
  if (slight) {
    delete item['notify_level'];
    delete item['total_closed_milestones'];
    delete item['logo_big_url'];
  }
  return item;
}

/** Postgres to_json of a timestamp: microseconds and +00:00 (§1, SQL-built JSON). */
const sqlDate = (iso: string) => `${iso.slice(0, 23)}000+00:00`;
/** SQL's json_agg of no rows is null, not []. */
const orNull = <T>(xs: T[]) => (xs.length ? xs : null);

/** The detail's swimlanes, due dates and custom attribute definitions, with `project_id`. */
function boardsInProject(state: State, projectId: number) {
  const lanes = [...state.swimlanes.values()].filter((s) => s.project === projectId).sort((a, b) => a.order - b.order);
  const dueDates = (kind: DueDateKind) => [...state.dueDates[kind].values()]
    .filter((d) => d.project === projectId)
    .sort((a, b) => a.order - b.order)
    .map((d) => ({ id: d.id, name: d.name, order: d.order, by_default: d.by_default, color: d.color, days_to_due: d.days_to_due, project_id: projectId }));
  const attributes = (kind: AttributeKind) => orNull([...state.attributes[kind].values()]
    .filter((a) => a.project === projectId)
    .sort((a, b) => a.order - b.order || a.id - b.id)
    .map((a) => ({
      id: a.id, name: a.name, description: a.description, order: a.order, created_date: sqlDate(a.created_date),
      modified_date: sqlDate(a.modified_date), project_id: projectId, type: a.type, extra: a.extra,
    })));
  return {
    swimlanes: orNull(lanes.map((s) => ({ id: s.id, name: s.name, order: s.order, project_id: projectId }))),
    us_duedates: dueDates('userstory'), task_duedates: dueDates('task'), issue_duedates: dueDates('issue'),
    epic_custom_attributes: attributes('epic'), userstory_custom_attributes: attributes('userstory'),
    task_custom_attributes: attributes('task'), issue_custom_attributes: attributes('issue'),
  };
}

const DETAIL_CHOICES: [string, ChoiceKind][] = [
  ['epic_statuses', 'epic_status'], ['us_statuses', 'us_status'], ['points', 'points'], ['task_statuses', 'task_status'],
  ['issue_statuses', 'issue_status'], ['issue_types', 'issue_type'], ['priorities', 'priority'], ['severities', 'severity'],
];

export function projectDetail(ctx: Ctx, p: Project) {
  const { state } = ctx;
  const detail: Record<string, unknown> = {
    ...projectListItem(ctx, p),
    members: members(ctx, p).map(({ m, u }) => ({
      role: m.role, role_name: state.roles.get(m.role)?.name ?? '', full_name: u.full_name, full_name_display: u.full_name,
      is_active: u.is_active, id: u.id, color: u.color, username: u.username, photo: null, gravatar_id: u.gravatar_id,
    })),
    ...boardsInProject(state, p.id),
  };
  for (const [key, kind] of DETAIL_CHOICES) detail[key] = state.choicesOf(kind, p.id).map(choiceInProject);
  detail['roles'] = state.rolesOf(p.id).map(roleInProject);
  detail['total_memberships'] = state.membershipsOf(p.id).length;
  detail['is_out_of_owner_limits'] = false;
  if (isProjectAdmin(ctx, p)) {
    Object.assign(detail, {
      is_private_extra_info: { can_be_updated: true, reason: null }, max_memberships: null,
      epics_csv_uuid: null, userstories_csv_uuid: null, tasks_csv_uuid: null, issues_csv_uuid: null, transfer_token: null,
    });
  }
  detail['milestones'] = [...state.milestones.values()]
    .filter((m) => m.project === p.id)
    .map((m) => ({ id: m.id, slug: m.slug, name: m.name, closed: m.closed }));
  return detail;
}
