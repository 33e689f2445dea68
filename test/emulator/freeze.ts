// The tracked fields of each versioned kind, as taiga-back's freeze_impl
// snapshots them (the rendered *_html copies left out). History diffs, and
// therefore OCC conflicts, are computed on these names.
import type { HistoryKind, Snapshot } from './history.js';
import type { State } from './state.js';
import { storyIsClosed } from './story-closing.js';
import type { Epic, Issue, Task, UserStory, WorkItem } from './types.js';

function common(i: WorkItem): Snapshot {
  return {
    ref: i.ref, owner: i.owner, status: i.status, subject: i.subject, description: i.description, assigned_to: i.assigned_to,
    tags: i.tags, is_blocked: i.is_blocked, blocked_note: i.blocked_note,
  };
}

export function freezeStory(state: State, s: UserStory): Snapshot {
  return {
    ...common(s), swimlane: s.swimlane, is_closed: storyIsClosed(state, s), finish_date: s.finish_date, backlog_order: s.backlog_order,
    sprint_order: s.sprint_order, kanban_order: s.kanban_order, assigned_users: s.assigned_users, milestone: s.milestone,
    client_requirement: s.client_requirement, team_requirement: s.team_requirement, points: s.points,
    from_issue: s.generated_from_issue, from_task: s.generated_from_task, due_date: s.due_date,
  };
}

export function freezeTask(_state: State, t: Task): Snapshot {
  return {
    ...common(t), milestone: t.milestone, taskboard_order: t.taskboard_order, us_order: t.us_order, user_story: t.user_story,
    is_iocaine: t.is_iocaine, due_date: t.due_date,
  };
}

export function freezeIssue(state: State, i: Issue): Snapshot {
  const promoted = [...state.stories.values()].filter((s) => s.generated_from_issue === i.id).map((s) => s.id);
  return {
    ...common(i), priority: i.priority, severity: i.severity, type: i.type, milestone: i.milestone, due_date: i.due_date,
    promoted_to: promoted,
  };
}

export function freezeEpic(_state: State, e: Epic): Snapshot {
  return {
    ...common(e), color: e.color, epics_order: e.epics_order, client_requirement: e.client_requirement, team_requirement: e.team_requirement,
  };
}

export type Versioned = { userstory: UserStory; task: Task; issue: Issue; epic: Epic };

const FREEZERS: { [K in keyof Versioned]: (state: State, item: Versioned[K]) => Snapshot } = {
  userstory: freezeStory, task: freezeTask, issue: freezeIssue, epic: freezeEpic,
};

/** Records a history entry for `item` (null when nothing changed and there is no comment). */
export function recordHistory<K extends keyof Versioned & HistoryKind>(
  state: State, kind: K, item: Versioned[K], opts: { user: number | null; comment?: string; type?: 'create' | 'change' | 'delete'; date?: string },
) {
  return state.history.record(kind, item.id, FREEZERS[kind](state, item), opts);
}
