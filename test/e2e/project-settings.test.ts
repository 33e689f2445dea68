import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';

let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

type Setting = { id?: number; name: string; order?: number; color?: string; closed?: boolean; value?: number; wip_limit?: number; type?: string; options?: string[] };
const list = async (kind: string, of?: string, project: number | string = 1) => dataOf<{ items: Setting[] }>(await h.call('list_project_settings', { project_id: project, kind, ...(of && { of }) })).items;
const taiga = async (path: string) => (await asTeammate(h.emulator, 'GET', path)).body as Record<string, unknown>;

test('statuses: list in order, create (closed, colour, WIP), rename, reorder, delete moving their stories', async () => {
  const statuses = await list('status', 'user_story', 'project-1');
  assert.deepEqual(statuses.map((s) => s.name), ['New', 'Ready', 'In progress', 'Ready for test', 'Done', 'Archived']);
  const made = dataOf<Setting>(await h.call('set_project_setting', { project_id: 1, kind: 'status', of: 'user_story', name: 'QA', color: '#00ff00', position: 2 }));
  assert.deepEqual([made.name, made.color, made.order], ['QA', '#00ff00', 2]);
  assert.deepEqual((await list('status', 'user_story')).map((s) => [s.name, s.order]), [['New', 1], ['QA', 2], ['Ready', 3], ['In progress', 4], ['Ready for test', 5], ['Done', 6], ['Archived', 7]]);
  const renamed = dataOf<Setting>(await h.call('set_project_setting', { project_id: 1, kind: 'status', of: 'user_story', setting: 'qa', name: 'QA review', closed: true, position: 7 }));
  assert.deepEqual([renamed.name, renamed.closed, renamed.order], ['QA review', true, 7]);
  assert.equal((await list('status', 'user_story')).at(-1)!.name, 'QA review');
  // The new name works for the other tools at once (the project's cached names are forgotten).
  assert.equal(dataOf<{ status: string }>(await h.call('update_user_story', { user_story_id: 2, status: 'QA review' })).status, 'QA review');
  dataOf(await h.call('set_project_setting', { project_id: 1, kind: 'status', of: 'user_story', setting: 'New', name: 'Fresh' }));
  assert.equal(errorOf(await h.call('update_user_story', { user_story_id: 3, status: 'New' })).code, 'INVALID_INPUT', 'the old name is gone at once');
  const deleted = dataOf<{ deleted: string; moved_to: string }>(await h.call('delete_project_setting', { project_id: 1, kind: 'status', of: 'user_story', setting: made.id, move_to: 'Ready' }));
  assert.deepEqual(deleted, { deleted: 'QA review', moved_to: 'Ready' });
  assert.equal((await taiga('/userstories/2'))['status'], 2, 'the story that had it has Ready now');
  assert.ok(!(await list('status', 'user_story')).some((s) => s.name === 'QA review'));
});

test('points, priorities, severities and issue types; a delete needs move_to, another one of the same kind and project', async () => {
  const points = dataOf<Setting>(await h.call('set_project_setting', { project_id: 1, kind: 'points', name: '100', value: 100 }));
  assert.deepEqual([points.name, points.value], ['100', 100]);
  const needs = errorOf(await h.call('delete_project_setting', { project_id: 1, kind: 'priority', setting: 'High' }));
  assert.deepEqual([needs.code, needs.details?.['fields'], needs.details?.['valid_values']], ['INVALID_INPUT', { move_to: 'required' }, ['Low', 'Normal']]);
  const self = errorOf(await h.call('delete_project_setting', { project_id: 1, kind: 'priority', setting: 'High', move_to: 'high' }));
  assert.deepEqual(self.details?.['fields'], { move_to: 'must be another one' });
  const elsewhere = errorOf(await h.call('delete_project_setting', { project_id: 1, kind: 'severity', setting: 'Minor', move_to: 'Bug' }));
  assert.deepEqual([elsewhere.details?.['fields'], elsewhere.details?.['valid_values']], [{ move_to: 'no severity "Bug" in this project' }, ['Wishlist', 'Minor', 'Normal', 'Important', 'Critical']]);
  assert.equal(h.emulator.totalWrites, 1, 'only the points value was written');
  const issuesWithBug = ((await asTeammate(h.emulator, 'GET', '/issues?project=1&type=1')).body as unknown[]).length;
  assert.ok(issuesWithBug > 0);
  dataOf(await h.call('delete_project_setting', { project_id: 1, kind: 'issue_type', setting: 'Bug', move_to: 'Question' }));
  assert.equal(((await asTeammate(h.emulator, 'GET', '/issues?project=1&type=1')).body as unknown[]).length, 0);
  assert.equal(((await asTeammate(h.emulator, 'GET', '/issues?project=1&type=2')).body as unknown[]).length >= issuesWithBug, true, 'the bugs are questions now');
});

test('a property the kind does not have is refused before Taiga sees it, naming the ones it has', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ kind: 'priority', name: 'x', closed: true }, 'closed'],
    [{ kind: 'points', name: 'x', color: '#aabbcc' }, 'color'],
    [{ kind: 'status', of: 'task', name: 'x', value: 2 }, 'value'],
    [{ kind: 'tag', name: 'x', value: 3 }, 'value'],
    [{ kind: 'field', of: 'user_story', name: 'x', color: '#aabbcc' }, 'color'],
    [{ kind: 'field', of: 'user_story', name: 'x', type: 'text', options: ['a'] }, 'options'],
  ];
  for (const [args, field] of cases) {
    const err = errorOf(await h.call('set_project_setting', { project_id: 1, ...args }));
    assert.equal(err.code, 'INVALID_INPUT', JSON.stringify(args));
    assert.ok(Object.keys(err.details?.['fields'] as object).includes(field), `${JSON.stringify(args)}: ${JSON.stringify(err.details)}`);
  }
  assert.equal(errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'field', of: 'task', setting: 1, type: 'number' })).code, 'INVALID_INPUT', 'a field keeps its type');
  const notDropdown = errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'field', of: 'task', setting: 3, options: ['a'] }));
  assert.deepEqual(notDropdown.details?.['fields'], { options: 'only for type "dropdown"' }, 'task field 3 is a date');
  assert.equal(errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'priority', name: 'x', color: 'red' })).code, 'INVALID_INPUT');
  assert.deepEqual(errorOf(await h.call('list_project_settings', { project_id: 1, kind: 'statuses' })).details?.['valid_values'], ['status', 'points', 'priority', 'severity', 'issue_type', 'tag', 'field']);
  assert.deepEqual(errorOf(await h.call('list_project_settings', { project_id: 1, kind: 'field', of: 'story' })).details?.['fields'], { of: 'not a kind of item' });
  const noOf = errorOf(await h.call('list_project_settings', { project_id: 1, kind: 'status' }));
  assert.deepEqual(noOf.details?.['fields'], { of: 'needed with kind status: user_story, task, issue or epic' });
  assert.deepEqual(errorOf(await h.call('list_project_settings', { project_id: 1, kind: 'priority', of: 'issue' })).details?.['fields'], { of: 'only with kind status or field' });
  const badType = errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'field', of: 'issue', name: 'x', type: 'colour' }));
  assert.deepEqual([badType.details?.['fields'], (badType.details?.['valid_values'] as string[]).length], [{ type: 'not a custom field type' }, 8]);
  assert.deepEqual(errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'priority' })).details?.['fields'], { name: 'needed to create a setting' });
  const taken = errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'priority', name: 'high' }));
  assert.deepEqual(taken.details?.['fields'], { name: 'already exists' });
  const clash = errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'priority', setting: 'Low', name: 'HIGH' }));
  assert.deepEqual(clash.details?.['fields'], { name: 'another setting has this name' });
  assert.equal(h.emulator.totalWrites, 0);
});

test('tags: create with a colour, rename and recolour everywhere, merge into another on delete, or delete', async () => {
  dataOf(await h.call('set_project_setting', { project_id: 1, kind: 'tag', name: 'Backend', color: '#aabbcc' }));
  assert.deepEqual((await list('tag')).find((t) => t.name === 'backend'), { name: 'backend', color: '#aabbcc' });
  assert.equal(errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'tag', name: 'x', position: 1 })).code, 'INVALID_INPUT');
  const story = (await taiga('/userstories/2'))['tags'] as string[][];
  const tag = story[0]![0]!;
  const renamed = dataOf<Setting>(await h.call('set_project_setting', { project_id: 1, kind: 'tag', setting: tag, name: 'renamed-tag', color: '#112233' }));
  assert.deepEqual(renamed, { name: 'renamed-tag', color: '#112233' });
  assert.ok(((await taiga('/userstories/2'))['tags'] as string[][]).some(([name]) => name === 'renamed-tag'));
  const merged = dataOf<{ deleted: string; moved_to: string }>(await h.call('delete_project_setting', { project_id: 1, kind: 'tag', setting: 'renamed-tag', move_to: 'backend' }));
  assert.deepEqual(merged, { deleted: 'renamed-tag', moved_to: 'backend' });
  assert.ok(((await taiga('/userstories/2'))['tags'] as string[][]).some(([name]) => name === 'backend'));
  dataOf(await h.call('delete_project_setting', { project_id: 1, kind: 'tag', setting: 'backend' }));
  assert.ok(!(await list('tag')).some((t) => t.name === 'backend'));
  assert.ok(!((await taiga('/userstories/2'))['tags'] as string[][]).some(([name]) => name === 'backend'));
});

test('custom field definitions: create a dropdown, rename, reorder, delete (no move_to)', async () => {
  const made = dataOf<Setting>(await h.call('set_project_setting', { project_id: 1, kind: 'field', of: 'user_story', name: 'Team', type: 'dropdown', options: ['Red', 'Blue'], position: 1 }));
  assert.deepEqual([made.type, made.options, made.order], ['dropdown', ['Red', 'Blue'], 1]);
  assert.equal((await list('field', 'user_story'))[0]!.name, 'Team');
  const renamed = dataOf<Setting>(await h.call('set_project_setting', { project_id: 1, kind: 'field', of: 'user_story', setting: 'team', name: 'Squad', options: ['Red', 'Blue', 'Green'] }));
  assert.deepEqual([renamed.name, renamed.options], ['Squad', ['Red', 'Blue', 'Green']]);
  assert.equal(errorOf(await h.call('delete_project_setting', { project_id: 1, kind: 'field', of: 'user_story', setting: 'Squad', move_to: 1 })).code, 'INVALID_INPUT');
  dataOf(await h.call('delete_project_setting', { project_id: 1, kind: 'field', of: 'user_story', setting: 'Squad' }));
  assert.ok(!(await list('field', 'user_story')).some((f) => f.name === 'Squad'));
});

test('a member who is not an admin is refused by Taiga; nothing changes', async () => {
  const session = dataOf<{ session_id: string }>(await h.call('login', { username: 'user2', password: '123123' })).session_id;
  const err = errorOf(await h.call('set_project_setting', { project_id: 1, kind: 'priority', name: 'Blocker', session_id: session }));
  assert.equal(err.code, 'PERMISSION_DENIED');
  assert.ok(!(await list('priority')).some((p) => p.name === 'Blocker'));
});
