// The kind descriptions that the shared item code (items.ts, item-write.ts) works from.
import type { Epic, Issue, Task, UserStory } from '../types.js';
import type { KindSpec } from './items.js';

export const STORY: KindSpec<UserStory> & { kind: 'userstory' } = {
  kind: 'userstory', model: 'UserStory', items: (s) => s.stories,
  perms: { view: 'view_us', add: 'add_us', modify: 'modify_us', comment: 'comment_us', delete: 'delete_us' },
};
export const TASK: KindSpec<Task> & { kind: 'task' } = {
  kind: 'task', model: 'Task', items: (s) => s.tasks,
  perms: { view: 'view_tasks', add: 'add_task', modify: 'modify_task', comment: 'comment_task', delete: 'delete_task' },
};
export const ISSUE: KindSpec<Issue> & { kind: 'issue' } = {
  kind: 'issue', model: 'Issue', items: (s) => s.issues,
  perms: { view: 'view_issues', add: 'add_issue', modify: 'modify_issue', comment: 'comment_issue', delete: 'delete_issue' },
};
export const EPIC: KindSpec<Epic> & { kind: 'epic' } = {
  kind: 'epic', model: 'Epic', items: (s) => s.epics,
  perms: { view: 'view_epics', add: 'add_epic', modify: 'modify_epic', comment: 'comment_epic', delete: 'delete_epic' },
};
