import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';

let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

test('comments: add (a stale version never matters), list, edit and delete; another member may not edit', async () => {
  const added = dataOf<{ comment_id: string; version: number }>(await h.call('add_comment', { kind: 'task', item_id: '#2', project_id: 'project-1', comment: 'Looks done to me.' }));
  const listed = dataOf<{ items: Array<{ id: string; text?: string; user?: string }> }>(await h.call('list_comments', { kind: 'task', item_id: '#2', project_id: 1 }));
  assert.deepEqual([listed.items[0]?.id, listed.items[0]?.text, listed.items[0]?.user], [added.comment_id, 'Looks done to me.', 'admin']);
  dataOf(await h.call('edit_comment', { kind: 'task', item_id: '#2', project_id: 1, comment_id: added.comment_id, comment: 'Done.' }));
  const user2 = await h.call('login', { username: 'user2', password: '123123' });
  const other = errorOf(await h.call('edit_comment', { kind: 'task', item_id: '#2', project_id: 1, comment_id: added.comment_id, comment: 'hijack', session_id: dataOf<{ session_id: string }>(user2).session_id }));
  assert.equal(other.code, 'PERMISSION_DENIED');
  assert.match(other.message, /author of a comment or a project admin/);
  dataOf(await h.call('delete_comment', { kind: 'task', item_id: '#2', project_id: 1, comment_id: added.comment_id }));
  const after = dataOf<{ items: Array<{ id: string; deleted?: true; text?: string }> }>(await h.call('list_comments', { kind: 'task', item_id: '#2', project_id: 1 }));
  assert.deepEqual([after.items[0]?.deleted, after.items[0]?.text], [true, undefined]);
  assert.equal(errorOf(await h.call('delete_comment', { kind: 'task', item_id: '#2', project_id: 1, comment_id: '00000000-0000-0000-0000-000000000000' })).code, 'NOT_FOUND');
  dataOf(await h.call('add_comment', { kind: 'wiki_page', item_id: 'home', project_id: 1, comment: 'On the wiki.' }));
});

test('history: who changed what, with names, newest first', async () => {
  dataOf(await h.call('update_issue', { issue_id: 2, status: 'In progress', subject: 'Renamed issue' }));
  const history = dataOf<{ items: Array<{ user?: string; changes?: Record<string, [unknown, unknown]> }> }>(await h.call('get_history', { kind: 'issue', item_id: 2 }));
  const newest = history.items[0]!;
  assert.equal(newest.user, 'admin');
  assert.equal(newest.changes?.['subject']?.[1], 'Renamed issue');
  assert.ok(newest.changes?.['status'], 'status changed too');
});

test('custom attributes by name, checked against their types, with the values\' own version', async () => {
  assert.equal((await asTeammate(h.emulator, 'POST', '/userstory-custom-attributes', { project: 1, name: 'Team', type: 'dropdown', extra: ['Red', 'Blue'] })).status, 201);
  assert.equal((await asTeammate(h.emulator, 'POST', '/userstory-custom-attributes', { project: 1, name: 'Estimate (h)', type: 'number' })).status, 201);
  const attrs = dataOf<{ items: Array<{ name: string; type: string; options?: string[] }> }>(await h.call('list_custom_attributes', { project_id: 1, kind: 'user_story' }));
  const dropdown = attrs.items.find((a) => a.type === 'dropdown');
  const number = attrs.items.find((a) => a.type === 'number');
  assert.ok(dropdown && number, JSON.stringify(attrs));
  const before = dataOf<{ values: Record<string, unknown>; version: number }>(await h.call('get_custom_attribute_values', { kind: 'user_story', item_id: 3 }));
  const set = dataOf<{ values: Record<string, unknown>; version: number }>(await h.call('set_custom_attribute_values', { kind: 'user_story', item_id: 3, values: { [dropdown.name.toUpperCase()]: dropdown.options![0]!, [number.name]: 5 }, version: before.version }));
  assert.deepEqual([set.values[dropdown.name], set.values[number.name], set.version], [dropdown.options![0], 5, before.version + 1]);
  const writes = h.emulator.totalWrites;
  assert.equal(errorOf(await h.call('set_custom_attribute_values', { kind: 'user_story', item_id: 3, values: { [number.name]: 'five' } })).code, 'INVALID_INPUT');
  const wrong = errorOf(await h.call('set_custom_attribute_values', { kind: 'user_story', item_id: 3, values: { [dropdown.name]: 'No such option' } }));
  assert.deepEqual(wrong.details?.['valid_values'], dropdown.options);
  assert.equal(errorOf(await h.call('set_custom_attribute_values', { kind: 'user_story', item_id: 3, values: { 'No such field': 1 } })).code, 'INVALID_INPUT');
  assert.equal(errorOf(await h.call('set_custom_attribute_values', { kind: 'user_story', item_id: 3, values: { [number.name]: 6 }, version: before.version })).code, 'VERSION_CONFLICT', 'stale: Taiga would take it, we do not');
  assert.equal(h.emulator.totalWrites, writes);
  const kept = dataOf<{ values: Record<string, unknown> }>(await h.call('set_custom_attribute_values', { kind: 'user_story', item_id: 3, values: { [number.name]: null } }));
  assert.deepEqual([kept.values[dropdown.name], kept.values[number.name]], [dropdown.options![0], null], 'the others keep their values');
});

test('search groups results by kind with refs; watch and unwatch; tags added and removed', async () => {
  const found = dataOf<{ user_stories: Array<{ ref: number; status?: string }>; count: number }>(await h.call('search', { project_id: 'project-1', text: 'support' }));
  assert.ok(found.count > 0 && found.user_stories.length > 0);
  assert.ok(found.user_stories.every((s) => typeof s.status === 'string'), 'statuses by name');
  assert.equal(dataOf<{ status: string }>(await h.call('watch', { kind: 'issue', item_id: 2 })).status, 'watching');
  assert.equal(dataOf<{ status: string }>(await h.call('watch', { kind: 'sprint', item_id: 'Sprint 2026-9-27', project_id: 1 })).status, 'watching');
  assert.equal(dataOf<{ status: string }>(await h.call('unwatch', { kind: 'issue', item_id: 2 })).status, 'not_watching');
  const tagged = dataOf<{ tags: string[] }>(await h.call('edit_tags', { kind: 'user_story', item_id: 1, add: ['Urgent'], remove: ['ODIO'] }));
  assert.ok(tagged.tags.includes('urgent') && !tagged.tags.includes('odio'));
  const project = dataOf<{ lookups: { tag_colors: Record<string, unknown>; closed_statuses: Record<string, string[]> } }>(await h.call('get_project', { project_id: 1 }));
  assert.ok('urgent' in project.lookups.tag_colors);
  assert.deepEqual(project.lookups.closed_statuses['task'], ['Closed']);
});
