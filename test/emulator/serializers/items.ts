// Pieces shared by the epic, story, task and issue serializers: the mixin
// fields (owner, assigned_to, status, watchers, voters, tags, due date) and
// the `neighbors` of a detail.
import type { Ctx } from '../context.js';
import type { State } from '../state.js';
import type { AttributeKind, ChoiceKind, DueDated, Project, WorkItem } from '../types.js';
import { includedAttachments } from './attachments.js';
import { userBasicInfo } from './users.js';

export function projectExtraInfo(p: Project) {
  return { name: p.name, slug: p.slug, logo_small_url: null, id: p.id };
}

export function tagsOut(project: Project, tags: string[]): [string, string | null][] {
  return tags.map((t) => [t, project.tags_colors[t] ?? null]);
}

export function statusExtraInfo(state: State, kind: ChoiceKind, statusId: number) {
  const st = state.choice(kind, statusId);
  return st ? { name: st.name, color: st.color, is_closed: st.is_closed } : null;
}

export function isClosedStatus(state: State, kind: ChoiceKind, statusId: number): boolean {
  return state.choice(kind, statusId)?.is_closed ?? false;
}

/** Markdown is not rendered; a paragraph is enough for shapes and simple texts. */
export const html = (text: string) => (text ? `<p>${text}</p>` : '');

function dueDateStatus(item: DueDated, closed: boolean): string {
  if (!item.due_date) return 'not_set';
  if (closed) return 'no_longer_applicable';
  const days = (Date.parse(item.due_date) - Date.now()) / 86_400_000;
  return days < 0 ? 'past_due' : days <= 14 ? 'due_soon' : 'set';
}

export function dueDateFields(item: DueDated, closed: boolean) {
  return { due_date: item.due_date, due_date_reason: item.due_date_reason, due_date_status: dueDateStatus(item, closed) };
}

const KIND_OF_STATUS: Partial<Record<ChoiceKind, AttributeKind>> = {
  us_status: 'userstory', task_status: 'task', issue_status: 'issue', epic_status: 'epic',
};

/** tags … total_voters: the keys every kind starts with. */
export function itemHead(ctx: Ctx, item: WorkItem, statusKind: ChoiceKind) {
  const { state, user } = ctx;
  const project = state.projects.get(item.project)!;
  return {
    tags: tagsOut(project, item.tags), attachments: includedAttachments(ctx, KIND_OF_STATUS[statusKind]!, item.id) as unknown[], project: item.project, project_extra_info: projectExtraInfo(project),
    status: item.status, status_extra_info: statusExtraInfo(state, statusKind, item.status),
    assigned_to: item.assigned_to, assigned_to_extra_info: item.assigned_to ? userBasicInfo(state.users.get(item.assigned_to)) : null,
    owner: item.owner, owner_extra_info: item.owner ? userBasicInfo(state.users.get(item.owner)) : null,
    is_watcher: !!user && item.watchers.includes(user.id), total_watchers: item.watchers.length,
    is_voter: !!user && item.voters.includes(user.id), total_voters: item.voters.length,
  };
}

/** `siblings` in list order; previous/next are `{id, ref, subject}` or null. */
export function neighbors<T extends WorkItem>(siblings: T[], item: T) {
  const i = siblings.findIndex((x) => x.id === item.id);
  const brief = (x: T | undefined) => (x ? { id: x.id, ref: x.ref, subject: x.subject } : null);
  return { previous: i < 0 ? null : brief(siblings[i - 1]), next: i < 0 ? null : brief(siblings[i + 1]) };
}

/** Stories promoted from an issue or task: `[{id, ref, subject}]`, or null when none. */
export function generatedStories(state: State, pick: (s: { generated_from_issue: number | null; generated_from_task: number | null }) => boolean) {
  const stories = [...state.stories.values()].filter(pick).sort((a, b) => a.id - b.id);
  return stories.length ? stories.map((s) => ({ id: s.id, ref: s.ref, subject: s.subject })) : null;
}
