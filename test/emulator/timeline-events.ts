// What the timeline records of each event, as taiga-back's timeline signals and
// serializers build it: the acting user, the project, the object and, for
// history entries, the values_diff and the comment with its edit/delete marks.
import { CONTENT_TYPES, type HistoryEntry, type HistoryKind } from './history.js';
import { commentHtml, valuesDiff } from './serializers/history.js';
import type { State } from './state.js';
import type { Project, WorkItem } from './types.js';

export function timelineUser(state: State, userId: number) {
  const u = state.users.get(userId);
  return u
    ? { id: u.id, name: u.full_name, photo: null, big_photo: null, gravatar_id: u.gravatar_id, username: u.username, is_profile_visible: true, date_joined: u.date_joined }
    : null;
}

const projectInfo = (p: Project) => ({ id: p.id, name: p.name, slug: p.slug, description: p.description });
const DATA_KEYS: Record<HistoryKind, string> = { userstory: 'userstory', task: 'task', issue: 'issue', epic: 'epic', wiki: 'wikipage' };

/** get_related_people: the owner, the assigned user and the watchers, active, once each. */
export function relatedPeople(state: State, people: readonly (number | null | undefined)[]): number[] {
  const ids = people.filter((id): id is number => typeof id === 'number' && state.users.get(id)?.is_active !== false);
  return [...new Set(ids)];
}

/** The object part of the data: {id, ref, subject} (wiki pages {id, slug}), plus its sprint when it has one. */
function objectData(state: State, kind: HistoryKind, id: number): { project: number; data: Record<string, unknown>; related: number[] } | null {
  if (kind === 'wiki') {
    const w = state.wikiPages.get(id);
    return w ? { project: w.project, data: { wikipage: { id: w.id, slug: w.slug } }, related: relatedPeople(state, [w.owner, ...w.watchers]) } : null;
  }
  const item = state.objectOf(kind, id) as WorkItem | undefined;
  if (!item) return null;
  const data: Record<string, unknown> = { [DATA_KEYS[kind]]: { id: item.id, ref: item.ref, subject: item.subject } };
  const milestoneId = 'milestone' in item ? (item.milestone as number | null) : null;
  const m = milestoneId ? state.milestones.get(milestoneId) : undefined;
  if (m) data['milestone'] = { id: m.id, name: m.name, slug: m.slug };
  return { project: item.project, data, related: relatedPeople(state, [item.owner, item.assigned_to, ...item.watchers]) };
}

/** on_new_history_entry: hidden entries and entries without a user are not pushed. */
export function pushHistoryEvent(state: State, kind: HistoryKind, id: number, entry: HistoryEntry): void {
  if (entry.is_hidden || entry.user === null) return;
  const obj = objectData(state, kind, id);
  const project = obj ? state.projects.get(obj.project) : undefined;
  if (!obj || !project) return;
  const diff = valuesDiff(entry);
  delete diff['description_html'];
  if ('description_diff' in diff) diff['description_diff'] = 'Check the history API for the exact diff';
  const data: Record<string, unknown> = {
    user: timelineUser(state, entry.user), comment: entry.comment, project: projectInfo(project), ...obj.data,
    values_diff: diff, comment_html: commentHtml(state, project.id, entry.comment),
  };
  if (entry.edit_comment_date) data['comment_edited'] = true;
  if (entry.delete_comment_date) data['comment_deleted'] = true;
  state.timeline.push(project.id, `${CONTENT_TYPES[kind]}.${entry.type}`, data, entry.created_at, entry.user, obj.related);
}

/** Events with no history entry behind them: project creation, memberships, sprints. */
export function pushEvent(
  state: State, project: Project, eventType: string, userId: number, created: string, extra: Record<string, unknown> = {}, related: readonly number[] = [],
): void {
  state.timeline.push(project.id, eventType, { user: timelineUser(state, userId), project: projectInfo(project), ...extra }, created, userId, related);
}
