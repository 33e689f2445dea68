// A story's `is_closed` follows its tasks when it has any (§9.6), so task
// writes can close or reopen it; `finish_date` is set and cleared to match.
import type { State } from './state.js';
import type { UserStory } from './types.js';

export function storyIsClosed(state: State, s: UserStory): boolean {
  const tasks = state.tasksOfStory(s.id);
  if (tasks.length > 0) return tasks.every((t) => state.choice('task_status', t.status)?.is_closed ?? false);
  return state.choice('us_status', s.status)?.is_closed ?? false;
}

/** Call after anything that may change a story's closed state; it neither bumps `version` nor writes history. */
export function syncStoryClosed(state: State, storyId: number | null | undefined): void {
  const s = storyId ? state.stories.get(storyId) : undefined;
  if (!s) return;
  const closed = storyIsClosed(state, s);
  if (closed && !s.finish_date) s.finish_date = new Date().toISOString();
  if (!closed && s.finish_date) s.finish_date = null;
}
