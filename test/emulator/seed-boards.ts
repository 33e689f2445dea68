// Swimlanes and due-date levels. Project 1's five swimlanes and their WIP
// limits are as recorded (metadata/swimlanes-list); the other projects' names
// and limits are made up. Every project gets the template's three due-date
// levels per kind (ids 1-3 in project 1, as recorded).
import type { State } from './state.js';
import type { DueDateKind } from './types.js';

const PROJECT1_SWIMLANES: [string, (number | null)[]][] = [
  ['animi', [0, 4, 0, 0, 0, 4]], ['autem quas', [0, 0, 0, 0, 0, 4]], ['hic ut', [3, 0, 0, 0, 2, 0]],
  ['totam', [0, 0, 2, 0, 0, 0]], ['quos', [0, 3, 0, 4, 0, 0]],
];
const OTHER_NAMES = ['ipsa', 'modi harum', 'nobis', 'quasi', 'velit error'];
/** Projects whose stories sit in swimlanes (seed.ts gives project p's stories swimlane (p - 1) * 5 + 1). */
const WITH_SWIMLANES = [1, 2, 3, 4, 5, 7];

const DUE_DATES: [name: string, byDefault: boolean, days: number | null, color: string][] = [
  ['Default', true, null, '#9dce0a'], ['Due soon', false, 14, '#ff9900'], ['Past due', false, 0, '#E44057'],
];

export function createDueDates(state: State, projectId: number): void {
  for (const kind of ['userstory', 'task', 'issue'] as DueDateKind[]) {
    DUE_DATES.forEach(([name, byDefault, days, color], i) => {
      const id = state.nextId(`${kind}_duedate`);
      state.dueDates[kind].set(id, { id, kind, project: projectId, name, order: i + 1, by_default: byDefault, days_to_due: days, color });
    });
  }
}

/** A swimlane has one cell per story status of its project. */
export function createSwimlane(state: State, projectId: number, name: string, order: number, limits: (number | null)[] = []): number {
  const id = state.nextId('swimlane');
  state.swimlanes.set(id, { id, project: projectId, name, order });
  state.choicesOf('us_status', projectId).forEach((status, i) => {
    const cell = state.nextId('swimlane_status');
    state.swimlaneStatuses.set(cell, { id: cell, swimlane: id, status: status.id, wip_limit: limits[i] ?? 0 });
  });
  return id;
}

export function seedBoards(state: State): void {
  for (const projectId of [1, 2, 3, 4, 5, 6, 7]) {
    if (!WITH_SWIMLANES.includes(projectId)) continue;
    state.setLastId('swimlane', (projectId - 1) * 5);
    const rows = projectId === 1 ? PROJECT1_SWIMLANES : OTHER_NAMES.map((n, i): [string, number[]] => [n, [i % 3, 0, 0, 0, 0, 0]]);
    rows.forEach(([name, limits], i) => createSwimlane(state, projectId, name, i + 1, limits));
  }
}
