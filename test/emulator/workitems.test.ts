// Behaviour of tasks, issues and epics that the fixture replay cannot show
// (it compares shapes, not values): the shared ref sequence, story closing,
// per-field OCC, history entries and bulk moves.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { HistoryLog } from './history.js';
import { startEmulator, type Emulator } from './index.js';
import { seed } from './seed.js';
import { State } from './state.js';

let emu: Emulator;
let token = '';
before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu.close();
});
beforeEach(async () => {
  emu.reset();
  const res = await fetch(`${emu.apiUrl}/auth`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'normal', username: 'admin', password: 'taigaadmin' }),
  });
  token = ((await res.json()) as { auth_token: string }).auth_token;
});

type Json = Record<string, unknown>;
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json & Json[] }> {
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

test('epics, stories, tasks and issues draw refs from one sequence per project', async () => {
  const refs = [];
  for (const path of ['/epics', '/userstories', '/tasks', '/issues']) {
    const { status, body } = await api('POST', path, { project: 1, subject: `ref of ${path}` });
    assert.equal(status, 201);
    refs.push(body['ref']);
  }
  assert.deepEqual(refs, [47, 48, 49, 50]);
  const other = await api('POST', '/tasks', { project: 2, subject: 'elsewhere' });
  assert.equal(other.body['ref'], 69);
  const resolved = await api('GET', '/resolver?project=project-1&ref=50');
  assert.equal(resolved.body['issue'], 91);
});

test('closing the last open task closes the story without bumping its version; reopening clears finish_date', async () => {
  const story = async () => (await api('GET', '/userstories/3')).body;
  assert.equal((await story())['is_closed'], false);
  await api('PATCH', '/tasks/7', { status: 4, version: 1 });
  assert.equal((await story())['is_closed'], false, 'task 8 is still open');
  await api('PATCH', '/tasks/8', { status: 4, version: 1 });
  const closed = await story();
  assert.equal(closed['is_closed'], true);
  assert.equal(typeof closed['finish_date'], 'string');
  assert.equal(closed['version'], 1);
  const created = await api('POST', '/tasks', { project: 1, subject: 'one more', user_story: 3 });
  assert.equal(created.body['milestone'], 1, 'the story imposes its sprint');
  const reopened = await story();
  assert.equal(reopened['is_closed'], false);
  assert.equal(reopened['finish_date'], null);
});

for (const [path, id] of [['/tasks', 7], ['/issues', 1], ['/epics', 1]] as const) {
  test(`${path}: a stale version conflicts on the same field only`, async () => {
    assert.equal((await api('PATCH', `${path}/${id}`, { subject: 'first', version: 1 })).status, 200);
    const same = await api('PATCH', `${path}/${id}`, { subject: 'stale', version: 1 });
    assert.equal(same.status, 400);
    assert.deepEqual(same.body, { version: "The version doesn't match with the current one" });
    const other = await api('PATCH', `${path}/${id}`, { description: 'other field', version: 1 });
    assert.equal(other.status, 200);
    assert.equal(other.body['version'], 3);
    const comment = await api('PATCH', `${path}/${id}`, { comment: 'never conflicts', version: 1 });
    assert.equal(comment.status, 200);
    assert.equal(comment.body['version'], 4);
  });
}

test('an unchanged PATCH bumps the version but leaves no history entry, so older edits stay in the OCC window', async () => {
  await api('PATCH', '/tasks/4', { subject: 'edited', version: 1 });
  await api('PATCH', '/tasks/4', { subject: 'edited', version: 2 });
  const stale = await api('PATCH', '/tasks/4', { subject: 'again', version: 2 });
  assert.equal(stale.status, 400, 'the one entry since version 2 is the subject edit of version 1');
});

test('bulk moves bump no version but write history, which can push real edits out of the OCC window', async () => {
  const moved = await api('POST', '/tasks/bulk_update_milestone', { project_id: 1, milestone_id: 1, bulk_tasks: [{ task_id: 4, order: 1 }] });
  assert.deepEqual(moved.body, { 4: 1 });
  assert.equal((await api('PATCH', '/userstories/4', { subject: 'renamed', version: 1 })).status, 200);
  await api('POST', '/userstories/bulk_update_milestone', { project_id: 1, milestone_id: 1, bulk_stories: [{ us_id: 4, order: 1 }] });
  assert.equal((await api('GET', '/userstories/4')).body['version'], 2);
  const milestone = await api('PATCH', '/userstories/4', { milestone: null, version: 1 });
  assert.equal(milestone.status, 400, 'the last entry is the move');
  const subject = await api('PATCH', '/userstories/4', { subject: 'stale but accepted', version: 1 });
  assert.equal(subject.status, 200, 'the rename fell out of the one-entry window');
});

test('history entries carry id, user, date, diff and comment; no-op changes leave none; order-only ones are hidden', () => {
  const log = new HistoryLog();
  const created = log.record('task', 1, { subject: 'a', us_order: 1 }, { user: 5, type: 'create' })!;
  assert.equal(created.type, 'create');
  assert.deepEqual(created.diff, {});
  assert.equal(log.record('task', 1, { subject: 'a', us_order: 1 }, { user: 5 }), null);
  const change = log.record('task', 1, { subject: 'b', us_order: 1 }, { user: 8, comment: 'why' })!;
  assert.match(change.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(change.user, 8);
  assert.ok(!Number.isNaN(Date.parse(change.created_at)));
  assert.deepEqual(change.diff, { subject: ['a', 'b'] });
  assert.equal(change.comment, 'why');
  assert.deepEqual([change.edit_comment_date, change.delete_comment_date, change.delete_comment_user], [null, null, null]);
  assert.equal(log.record('task', 1, { subject: 'b', us_order: 2 }, { user: 8 })!.is_hidden, true);
  assert.deepEqual([...log.changedKeys('task', 1, 2)].sort(), ['subject', 'us_order']);
  assert.equal(log.totalComments('task', 1), 1);
});

test('the seed gives every versioned object its creation entry and its sample comments', () => {
  const state = new State();
  seed(state);
  assert.deepEqual(state.history.of('issue', 40).map((e) => e.type), ['create', 'change']);
  assert.equal(state.history.totalComments('userstory', 99), 1);
  assert.equal(state.history.totalComments('epic', 23), 2, 'the sample data comments twice on each epic (history-comments/history-epic)');
});

test('promoting a task deletes it; promoting an issue keeps it and lists the story', async () => {
  const fromTask = await api('POST', '/tasks/5/promote_to_user_story', { project_id: 1 });
  assert.deepEqual(fromTask.body, [47]);
  assert.equal((await api('GET', '/tasks/5')).status, 404);
  const story = await api('GET', '/userstories/by_ref?ref=47&project=1');
  assert.equal(story.body['from_task_ref'], 'Task #7');
  assert.equal(story.body['total_comments'], 1, 'the task comment is copied');
  const fromIssue = await api('POST', '/issues/3/promote_to_user_story', { project_id: 1 });
  assert.deepEqual(fromIssue.body, [48]);
  const issue = await api('GET', '/issues/3');
  assert.deepEqual(issue.body['generated_user_stories'], [{ id: 116, ref: 48, subject: 'Lighttpd x-sendfile support' }]);
});

test('epic links show in the story and in the epic counts, and go away with the epic', async () => {
  assert.equal((await api('POST', '/epics/7/related_userstories', { epic: 7, user_story: 1 })).status, 201);
  const epic = await api('GET', '/epics/7');
  assert.deepEqual(epic.body['user_stories_counts'], { total: 1, progress: 1 }, 'story 1 is closed by its tasks');
  const story = await api('GET', '/userstories/1');
  assert.deepEqual((story.body['epics'] as Json[]).map((e) => e['id']), [7]);
  assert.equal((await api('GET', '/userstories?project=1&epic=7')).body.length, 1);
  assert.equal((await api('DELETE', '/epics/7')).status, 204);
  assert.equal((await api('GET', '/userstories/1')).body['epics'], null);
});

test('order updates shift the tasks they land on or pass over', async () => {
  const res = await api('POST', '/tasks/bulk_update_taskboard_order', {
    project_id: 1, milestone_id: 1, bulk_tasks: [{ task_id: 8, order: 1 }],
  });
  assert.equal(res.body['8'], 1);
  assert.equal(res.body['7'], 1795228921746, 'the tasks before it move down one place');
});

test('a PATCH that moves a task to another column re-orders it there, as recorded (tasks/patch-close-task-4)', async () => {
  const patched = await fetch(`${emu.apiUrl}/tasks/4`, {
    method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 4, version: 1 }),
  });
  assert.equal(patched.headers.get('taiga-info-order-updated'), '{"4": 1795228921321, "5": 1795228921420}');
});
