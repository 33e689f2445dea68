// The tracked fields of each versioned kind, as taiga-back's freeze_impl
// snapshots them (the rendered *_html copies left out, but for wiki pages
// whose recorded diffs show content_html). History diffs, and therefore OCC
// conflicts, are computed on these names.
import type { HistoryKind, Snapshot } from './history.js';
import { valuesFor } from './history-values.js';
import { renderMarkdown } from './markdown.js';
import type { State } from './state.js';
import { storyIsClosed } from './story-closing.js';
import type { AttachableKind, Epic, Issue, Task, UserStory, WikiPage, WorkItem } from './types.js';

/** Python's str() of a datetime ("2026-11-21 02:42:00.867000+00:00"), or "None". */
export function pyDatetime(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}000+00:00` : 'None';
}

function attachments(state: State, kind: AttachableKind, id: number): Snapshot[] {
  return state.attachmentsOf(kind, id).map((a) => ({
    id: a.id, filename: a.name, url: a.path, thumb_url: null, is_deprecated: a.is_deprecated, description: a.description, order: a.order,
  }));
}

/** [{id, name, type, value}] of the attributes the object has a value for, in the attributes' order. */
function customAttributes(state: State, kind: Exclude<AttachableKind, 'wiki'>, item: WorkItem): Snapshot[] {
  const values = state.customValues(kind, item.id).values;
  return state.attributesOf(kind, item.project)
    .filter((a) => String(a.id) in values)
    .map((a) => ({ id: a.id, name: a.name, type: a.type, value: values[String(a.id)] }));
}

function common(state: State, kind: Exclude<AttachableKind, 'wiki'>, i: WorkItem): Snapshot {
  return {
    ref: i.ref, owner: i.owner, status: i.status, subject: i.subject, description: i.description, assigned_to: i.assigned_to,
    tags: i.tags, is_blocked: i.is_blocked, blocked_note: i.blocked_note, attachments: attachments(state, kind, i.id),
    custom_attributes: customAttributes(state, kind, i),
  };
}

// Object.assign rather than a spread into the literal: V8 takes a slow path for the
// spread, which made seeding three times slower.
export function freezeStory(state: State, s: UserStory): Snapshot {
  return Object.assign(common(state, 'userstory', s), {
    swimlane: s.swimlane, is_closed: storyIsClosed(state, s), finish_date: pyDatetime(s.finish_date),
    backlog_order: s.backlog_order, sprint_order: s.sprint_order, kanban_order: s.kanban_order, assigned_users: s.assigned_users,
    milestone: s.milestone, client_requirement: s.client_requirement, team_requirement: s.team_requirement, points: s.points,
    from_issue: s.generated_from_issue, from_task: s.generated_from_task, due_date: s.due_date,
  });
}

export function freezeTask(state: State, t: Task): Snapshot {
  return Object.assign(common(state, 'task', t), {
    milestone: t.milestone, taskboard_order: t.taskboard_order, us_order: t.us_order, user_story: t.user_story,
    is_iocaine: t.is_iocaine, due_date: t.due_date,
  });
}

export function freezeIssue(state: State, i: Issue): Snapshot {
  const promoted = [...state.stories.values()].filter((s) => s.generated_from_issue === i.id).map((s) => s.id);
  return Object.assign(common(state, 'issue', i), {
    priority: i.priority, severity: i.severity, type: i.type, milestone: i.milestone, due_date: i.due_date,
    promoted_to: promoted,
  });
}

export function freezeEpic(state: State, e: Epic): Snapshot {
  return Object.assign(common(state, 'epic', e), {
    color: e.color, epics_order: e.epics_order, client_requirement: e.client_requirement,
    team_requirement: e.team_requirement,
  });
}

/** Wiki diffs carry the whole content and its rendering (history-comments/history-wiki). */
export function freezeWiki(state: State, w: WikiPage): Snapshot {
  const html = renderMarkdown(w.content, state.projects.get(w.project)?.slug);
  return { slug: w.slug, content: w.content, content_html: html, attachments: attachments(state, 'wiki', w.id) };
}

export type Versioned = { userstory: UserStory; task: Task; issue: Issue; epic: Epic; wiki: WikiPage };

const FREEZERS: { [K in keyof Versioned]: (state: State, item: Versioned[K]) => Snapshot } = {
  userstory: freezeStory, task: freezeTask, issue: freezeIssue, epic: freezeEpic, wiki: freezeWiki,
};

export function freeze<K extends keyof Versioned>(state: State, kind: K, item: Versioned[K]): Snapshot {
  return FREEZERS[kind](state, item);
}

/** Records a history entry for `item` (null when nothing changed and there is no comment). */
export function recordHistory<K extends keyof Versioned & HistoryKind>(
  state: State, kind: K, item: Versioned[K], opts: { user: number | null; comment?: string; type?: 'create' | 'change' | 'delete'; date?: string },
) {
  return state.history.record(kind, item.id, FREEZERS[kind](state, item), { ...opts, values: valuesFor(state, kind) });
}
