// The `values` an entry freezes next to its diff: display names of the users,
// statuses, sprints, points and other ids the diff mentions, so that
// `values_diff` still reads right after a rename.
import type { Diff, EntryValues, HistoryKind } from './history.js';
import type { State } from './state.js';
import type { ChoiceKind } from './types.js';

const STATUS_KIND: Partial<Record<HistoryKind, ChoiceKind>> = {
  userstory: 'us_status', task: 'task_status', issue: 'issue_status', epic: 'epic_status',
};
const USER_FIELDS = ['owner', 'assigned_to', 'assigned_users'];

function ids(v: unknown): number[] {
  if (Array.isArray(v)) return v.flatMap(ids);
  return typeof v === 'number' ? [v] : [];
}

export function valuesFor(state: State, kind: HistoryKind): (diff: Diff) => EntryValues {
  return (diff) => {
    const values: EntryValues = { users: {} };
    const name = (field: string, id: number, label: string | undefined) => {
      if (label !== undefined) (values[field] ??= {})[String(id)] = label;
    };
    for (const [field, pair] of Object.entries(diff)) {
      const mentioned = ids(pair);
      if (USER_FIELDS.includes(field)) for (const id of mentioned) values['users']![String(id)] = state.users.get(id)?.full_name ?? '';
      const statusKind = STATUS_KIND[kind];
      if (field === 'status' && statusKind) for (const id of mentioned) name('status', id, state.choice(statusKind, id)?.name);
      if (field === 'milestone') for (const id of mentioned) name('milestone', id, state.milestones.get(id)?.name);
      for (const [f, k] of [['type', 'issue_type'], ['priority', 'priority'], ['severity', 'severity']] as const) {
        if (field === f && kind === 'issue') for (const id of mentioned) name(f, id, state.choice(k, id)?.name);
      }
      if (field === 'points') {
        for (const side of pair) {
          for (const [role, points] of Object.entries((side ?? {}) as Record<string, number>)) {
            name('roles', Number(role), state.roles.get(Number(role))?.name);
            name('points', points, state.choice('points', points)?.name);
          }
        }
      }
    }
    return values;
  };
}
