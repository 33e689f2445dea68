// The history the sample data leaves (taiga-back's sample_data command): every
// story, task and issue has its creation entry and one change entry carrying a
// comment (a random status pick, often the same status); epics have two such
// changes. The few status changes the recordings show are reproduced
// (history-comments/history-issue, history-epic). The story snapshots are left
// as the sample data left them, taken before the tasks closed the story, so
// the next change of such a story also shows is_closed and finish_date
// (history-comments/history-us-1-after).
import { freezeStory, pyDatetime, recordHistory, type Versioned } from './freeze.js';
import { pushEvent } from './timeline-events.js';
import type { State } from './state.js';
import type { WorkItem } from './types.js';

const SAMPLE_COMMENT = 'Lorem ipsum dolor sit amet, consectetur adipisci velit.';
/** Statuses before the sample data's change: issue 1 went 5 → 3, epic 1 went 1 → 2 → 1. */
const ISSUE_STATUS_BEFORE: Record<number, number> = { 1: 5 };
const EPIC_STATUS_BETWEEN: Record<number, number> = { 1: 2 };
const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

type ItemKind = 'userstory' | 'task' | 'issue' | 'epic';

function created<K extends ItemKind>(state: State, kind: K, item: Versioned[K] & WorkItem): void {
  recordHistory(state, kind, item, { user: item.owner, type: 'create', date: item.created_date });
}
function commented<K extends ItemKind>(state: State, kind: K, item: Versioned[K] & WorkItem, date: string): void {
  recordHistory(state, kind, item, { user: item.owner, comment: SAMPLE_COMMENT, date });
}

function projectEvents(state: State): void {
  const members = new Set([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  for (const p of state.projects.values()) {
    pushEvent(state, p, 'projects.project.create', p.owner, p.created_date);
    // The sample data invites every user but the owner, then removes one of them again.
    for (const userId of members) {
      if (userId === p.owner) continue;
      pushEvent(state, p, 'projects.membership.create', userId, p.created_date);
      if (!state.membership(p.id, userId)) pushEvent(state, p, 'projects.membership.delete', userId, p.created_date);
    }
  }
  for (const m of state.milestones.values()) {
    const p = state.projects.get(m.project)!;
    pushEvent(state, p, 'milestones.milestone.create', m.owner, m.created_date, { milestone: { id: m.id, name: m.name, slug: m.slug } });
  }
}

export function seedHistory(state: State): void {
  projectEvents(state);
  for (const s of state.stories.values()) {
    created(state, 'userstory', s);
    commented(state, 'userstory', s, s.modified_date);
    const closedByStatus = state.choice('us_status', s.status)?.is_closed ?? false;
    state.history.setSnapshot('userstory', s.id, Object.assign(freezeStory(state, s), {
      is_closed: closedByStatus, finish_date: closedByStatus ? pyDatetime(s.finish_date) : 'None',
    }));
  }
  for (const t of state.tasks.values()) {
    created(state, 'task', t);
    commented(state, 'task', t, t.modified_date);
  }
  for (const i of state.issues.values()) {
    const status = i.status;
    i.status = ISSUE_STATUS_BEFORE[i.id] ?? status;
    created(state, 'issue', i);
    i.status = status;
    commented(state, 'issue', i, i.modified_date);
  }
  for (const e of state.epics.values()) {
    const status = e.status;
    created(state, 'epic', e);
    e.status = EPIC_STATUS_BETWEEN[e.id] ?? status;
    commented(state, 'epic', e, after(e.created_date, 50));
    e.status = status;
    commented(state, 'epic', e, after(e.created_date, 104));
  }
}
