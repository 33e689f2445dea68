// Values the replay cannot check (it compares shapes): the order fields after
// Taiga's bulk order endpoints, against the recorded numbers (bulk.json) and the
// rule of taiga-back's services; and the user timeline (one entry per related person).
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type Emulator } from './index.js';

let emu: Emulator;
const tokens = new Map<string, string>();
before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.reset();
  tokens.clear();
});

type Json = Record<string, unknown>;
async function api(method: string, path: string, body?: unknown, user = 'admin'): Promise<{ status: number; body: Json & Json[] }> {
  let token = tokens.get(user);
  if (!token) {
    const res = await fetch(`${emu.apiUrl}/auth`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'normal', username: user, password: user === 'admin' ? 'taigaadmin' : '123123' }),
    });
    token = ((await res.json()) as { auth_token: string }).auth_token;
    tokens.set(user, token);
  }
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const orderOf = async (id: number, key: string) => Number((await api('GET', `/userstories/${id}`)).body[key]);

test('backlog order: the recorded sequence (bulk.json) gives the recorded numbers', async () => {
  const first = await api('POST', '/userstories/bulk_update_backlog_order', { project_id: 1, bulk_userstories: [5, 4] });
  assert.equal(first.status, 200);
  // Every backlog story renumbered from 1: the moved ones first.
  assert.deepEqual(first.body.slice(0, 3), [{ id: 5, milestone: null, backlog_order: 1 }, { id: 4, milestone: null, backlog_order: 2 }, { id: 6, milestone: null, backlog_order: 3 }]);
  const afterSix = await api('POST', '/userstories/bulk_update_backlog_order', { project_id: 1, after_userstory_id: 6, bulk_userstories: [4] });
  assert.deepEqual(afterSix.body.slice(0, 3), [{ id: 4, milestone: null, backlog_order: 4 }, { id: 7, milestone: null, backlog_order: 5 }, { id: 8, milestone: null, backlog_order: 6 }]);
  // Stories before the anchor keep their numbers: 5 stays 1, 6 stays 3.
  assert.equal(await orderOf(5, 'backlog_order'), 1);
  assert.equal(await orderOf(6, 'backlog_order'), 3);
  const intoSprint = await api('POST', '/userstories/bulk_update_backlog_order', { project_id: 1, milestone_id: 1, bulk_userstories: [4] });
  assert.deepEqual(intoSprint.body.map((r) => [r['id'], r['sprint_order']]), [[4, 1], [1, 2], [2, 3], [3, 4]]);
  assert.equal((await api('GET', '/userstories/4')).body['milestone'], 1);
});

test('backlog order with before: the moved stories take the anchor\'s number, the rest from there shift', async () => {
  await api('POST', '/userstories/bulk_update_backlog_order', { project_id: 1, bulk_userstories: [4, 5, 6, 7, 8] });
  const r = await api('POST', '/userstories/bulk_update_backlog_order', { project_id: 1, before_userstory_id: 5, bulk_userstories: [8, 7] });
  assert.deepEqual(r.body.slice(0, 4).map((x) => [x['id'], x['backlog_order']]), [[8, 2], [7, 3], [5, 4], [6, 5]]);
  assert.equal(await orderOf(4, 'backlog_order'), 1);
  const sorted = (await api('GET', '/userstories?project=1&milestone=null&order_by=backlog_order')).body.slice(0, 5).map((s) => s['id']);
  assert.deepEqual(sorted, [4, 8, 7, 5, 6]);
});

test('backlog order refuses an anchor outside the cell and stories of another project, as taiga-back\'s validator', async () => {
  const inSprint = await api('POST', '/userstories/bulk_update_backlog_order', { project_id: 1, after_userstory_id: 1, bulk_userstories: [4] });
  assert.equal(inSprint.status, 400);
  assert.match(JSON.stringify(inSprint.body['after_userstory_id']), /same project and milestone/);
  const other = await api('POST', '/userstories/bulk_update_backlog_order', { project_id: 1, bulk_userstories: [41] });
  assert.deepEqual(other.body, { bulk_userstories: ['Invalid user story ids. All stories must belong to the same project.'] });
  const sprint = await api('POST', '/userstories/bulk_update_backlog_order', { project_id: 1, milestone_id: 99, bulk_userstories: [4] });
  assert.equal(sprint.status, 400);
  assert.ok(sprint.body['milestone_id']);
});

test('kanban order: the recorded exchange, then before/after within a status and swimlane cell', async () => {
  const recorded = await api('POST', '/userstories/bulk_update_kanban_order', { project_id: 1, status_id: 2, bulk_userstories: [6, 7] });
  assert.equal(recorded.status, 200);
  assert.deepEqual(recorded.body.slice(0, 2), [{ id: 6, swimlane: null, status: 2, kanban_order: 1 }, { id: 7, swimlane: null, status: 2, kanban_order: 2 }]);
  const after = await api('POST', '/userstories/bulk_update_kanban_order', { project_id: 1, status_id: 2, after_userstory_id: 6, bulk_userstories: [8] });
  assert.deepEqual(after.body.map((x) => [x['id'], x['kanban_order']]).slice(0, 2), [[8, 2], [7, 3]]);
  assert.equal(await orderOf(6, 'kanban_order'), 1);
  const s8 = (await api('GET', '/userstories/8')).body;
  assert.equal(s8['status'], 2);
  const wrongCell = await api('POST', '/userstories/bulk_update_kanban_order', { project_id: 1, status_id: 3, before_userstory_id: 6, bulk_userstories: [9] });
  assert.equal(wrongCell.status, 400);
  assert.match(JSON.stringify(wrongCell.body), /same project, status and swimlane/);
  const badStatus = await api('POST', '/userstories/bulk_update_kanban_order', { project_id: 1, status_id: 7, bulk_userstories: [9] });
  assert.equal(badStatus.status, 400);
  assert.ok(badStatus.body['status_id']);
});

test('user timeline: what the user did, once per person related to the object, filtered for the caller', async () => {
  const story = (await api('POST', '/userstories', { project: 1, subject: 'Timeline probe' })).body;
  await api('POST', `/userstories/${String(story['id'])}/watch`);
  await api('PATCH', `/userstories/${String(story['id'])}`, { version: story['version'], assigned_to: 8, subject: 'Timeline probe 2' });
  const mine = (await api('GET', '/timeline/user/5?page_size=100')).body;
  const changes = mine.filter((e) => e['event_type'] === 'userstories.userstory.change' && (e['data'] as Json)['userstory'] && ((e['data'] as Json)['userstory'] as Json)['id'] === story['id']);
  // owner and watcher admin (5) and the assignee user2 (8): two related people.
  assert.deepEqual(changes.map((e) => e['object_id']).sort(), [5, 8]);
  assert.ok(changes.every((e) => e['namespace'] === 'user:5' && e['content_type'] !== 15));
  // The project timeline has it once.
  const project = (await api('GET', '/timeline/project/1?page_size=5')).body;
  assert.equal(project.filter((e) => e['event_type'] === 'userstories.userstory.change').length >= 1, true);
  assert.equal((await api('GET', '/timeline/user/99999')).status, 404);
  // A non-member of private project 3 sees none of its entries in someone's timeline.
  const asNonMember = (await api('GET', '/timeline/user/5?page_size=1000', undefined, 'user3')).body;
  assert.ok(asNonMember.every((e) => e['project'] !== 3));
  assert.ok((await api('GET', '/timeline/user/5?page_size=1000')).body.some((e) => e['project'] === 3), 'admin did something in project 3');
});
