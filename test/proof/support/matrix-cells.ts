import type { Emulator, RecordedRequest } from '../../emulator/index.js';

export type Role = 'read' | 'read once' | 'write' | 'bulk update' | 'bulk create';

/**
 * One kind of tool in the matrix, with the one request of it that the fault hits. Every cell has
 * its own objects, so that all cells of a fault run at once on one server.
 */
export interface Cell {
  name: string;
  role: Role;
  tool: string;
  args: Record<string, unknown>;
  method: string;
  /** Tested on the path and query of a request. */
  match: RegExp;
  /** Taiga answers it without a body (DELETE, 204): once handled, nothing is left to spoil. */
  emptyAnswer?: boolean;
}

/** Project 1 of the seed: stories 1–14, tasks 1–8, issues 1–16, status "In progress" for issues. */
export const CELLS: Cell[] = [
  { name: 'list (fault persists)', role: 'read', tool: 'list_user_stories', args: { project_id: 1 }, method: 'GET', match: /^\/api\/v1\/userstories\?(.*&)?project=1(&|$)/ },
  { name: 'list (fault once)', role: 'read once', tool: 'list_user_stories', args: { project_id: 2 }, method: 'GET', match: /^\/api\/v1\/userstories\?(.*&)?project=2(&|$)/ },
  // A custom column reads one values record per item: the fault on one of them fails the list, never a page with a hole.
  { name: 'custom column (fault persists)', role: 'read', tool: 'list_tasks', args: { project_id: 1, columns: 'soluta' }, method: 'GET', match: /^\/api\/v1\/tasks\/custom-attributes-values\/3$/ },
  // A custom filter scans Taiga's pages: a fault there fails the call, never reads as the list's end.
  { name: 'custom filter (fault persists)', role: 'read', tool: 'list_issues', args: { project_id: 1, custom: { velit: 'High' } }, method: 'GET', match: /^\/api\/v1\/issues\?(.*&)?project=1(&|$)/ },
  { name: 'get (fault persists)', role: 'read', tool: 'get_task', args: { task_id: 1 }, method: 'GET', match: /^\/api\/v1\/tasks\/1$/ },
  { name: 'notifications (fault persists)', role: 'read', tool: 'list_notifications', args: {}, method: 'GET', match: /^\/api\/v1\/web-notifications\?/ },
  { name: 'get (fault once)', role: 'read once', tool: 'get_task', args: { task_id: 2 }, method: 'GET', match: /^\/api\/v1\/tasks\/2$/ },
  { name: 'create', role: 'write', tool: 'create_issue', args: { project_id: 1, subject: 'Made while Taiga failed' }, method: 'POST', match: /^\/api\/v1\/issues$/ },
  { name: 'update', role: 'write', tool: 'update_user_story', args: { user_story_id: 3, subject: 'Changed while Taiga failed' }, method: 'PATCH', match: /^\/api\/v1\/userstories\/3$/ },
  { name: 'watchers', role: 'write', tool: 'add_watchers', args: { kind: 'issue', item_id: 9, users: ['user2'] }, method: 'PATCH', match: /^\/api\/v1\/issues\/9$/ },
  { name: 'delete', role: 'write', tool: 'delete_task', args: { task_id: 5 }, method: 'DELETE', match: /^\/api\/v1\/tasks\/5$/, emptyAnswer: true },
  { name: 'resolve a ref', role: 'read', tool: 'resolve_ref', args: { ref: '#5', project_id: 'project-1' }, method: 'GET', match: /^\/api\/v1\/resolver\?project=project-1&ref=5$/ },
  { name: 'create a setting', role: 'write', tool: 'set_project_setting', args: { project_id: 1, kind: 'priority', name: 'Made while Taiga failed' }, method: 'POST', match: /^\/api\/v1\/priorities$/ },
  { name: 'delete a setting', role: 'write', tool: 'delete_project_setting', args: { project_id: 2, kind: 'severity', setting: 'Minor', move_to: 'Normal' }, method: 'DELETE', match: /^\/api\/v1\/severities\/\d+\?moveTo=\d+$/, emptyAnswer: true },
  // The fault hits the second of three items: the first is done, the third must not be tried.
  { name: 'bulk update', role: 'bulk update', tool: 'bulk_update_issues', args: { project_id: 1, issue_ids: [4, 5, 6], status: 'In progress' }, method: 'PATCH', match: /^\/api\/v1\/issues\/5$/ },
  { name: 'timeline', role: 'read', tool: 'get_timeline', args: { project_id: 5, since: '2000-01-01' }, method: 'GET', match: /^\/api\/v1\/timeline\/project\/5(\?|$)/ },
  { name: 'reorder', role: 'write', tool: 'reorder_user_stories', args: { project_id: 1, user_story_ids: [14], sprint: null }, method: 'POST', match: /^\/api\/v1\/userstories\/bulk_update_backlog_order$/ },
  { name: 'bulk create', role: 'bulk create', tool: 'bulk_create_tasks', args: { project_id: 1, tasks: [{ subject: 'first' }, { subject: 'second' }] }, method: 'POST', match: /^\/api\/v1\/tasks$/ },
];

const target = (r: RecordedRequest) => `${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query).toString()}` : ''}`;

/** The requests of `method` whose path and query match, among those the emulator recorded. */
export function sentTo(emulator: Emulator, method: string, match: RegExp): RecordedRequest[] {
  return emulator.requests.filter((r) => r.method === method && match.test(target(r)));
}
