// /notify-policies and /web-notifications, as taiga-back 6.7.3's code has them (no recording:
// see the fixtures README, "Written from taiga-back's code").
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type Emulator } from './index.js';

let emu: Emulator;
before(async () => {
  emu = await startEmulator();
});
after(async () => emu.close());
beforeEach(() => emu.reset());

async function token(username: string): Promise<string> {
  const res = await fetch(`${emu.apiUrl}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'normal', username, password: username === 'admin' ? 'taigaadmin' : '123123' }),
  });
  return ((await res.json()) as { auth_token: string }).auth_token;
}
async function call(method: string, path: string, username: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const auth: Record<string, string> = username === null ? {} : { authorization: `Bearer ${await token(username)}` };
  const res = await fetch(`${emu.apiUrl}${path}`, { method, headers: { ...auth, ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
}
type Page = { objects: Array<{ id: number; event_type: number; user: number; read: string | null; data: { project: { slug: string }; user: { username: string }; obj?: { ref: number; content_type: string } } }>; total: number };

test('a comment mentioning a member notifies them (6), and the other watchers get "comment" (5); never the author', async () => {
  assert.equal((await call('PATCH', '/issues/3', 'admin', { watchers: [5, 8], version: 1 })).status, 200);
  const before = (await call('GET', '/web-notifications', 'user2')).body as Page;
  assert.deepEqual(before.objects.map((n) => n.event_type), [3], 'added as watcher');
  const issue = (await call('GET', '/issues/3', 'admin')).body as { version: number; ref: number };
  assert.equal((await call('PATCH', '/issues/3', 'admin', { comment: 'hello @user2 and @nobody', version: issue.version })).status, 200);
  assert.equal((await call('PATCH', '/issues/3', 'user2', { comment: 'no mention', version: issue.version + 1 })).status, 200);
  const page = await call('GET', '/web-notifications', 'user2');
  const body = page.body as Page;
  assert.equal(page.headers.get('x-pagination-count'), '2');
  assert.deepEqual(body.objects.map((n) => n.event_type), [6, 3], 'the mention (newest first); no "comment" too, nothing for their own comment');
  assert.equal(body.total, 2);
  assert.deepEqual([body.objects[0]!.data.user.username, body.objects[0]!.data.project.slug, body.objects[0]!.data.obj], ['admin', 'project-1', { id: 3, ref: issue.ref, subject: body.objects[0]!.data.obj!['subject' as never], content_type: 'issue' }]);
  const admin = (await call('GET', '/web-notifications', 'admin')).body as Page;
  assert.deepEqual(admin.objects.map((n) => n.event_type), [5], 'the watcher admin hears of user2\'s comment');
});

test('list: anonymous {}, unpaginated a plain list, only_unread is any value; unread first', async () => {
  assert.deepEqual((await call('GET', '/web-notifications', null)).body, {});
  await call('PATCH', '/tasks/1', 'admin', { description: '@user2 first', version: 1 });
  await call('PATCH', '/tasks/1', 'admin', { description: '@user2 first, @user2 still', version: 2 });
  await call('PATCH', '/tasks/3', 'admin', { assigned_to: 8, version: 1 });
  const plain = (await call('GET', '/web-notifications', 'user2', undefined, { 'x-disable-pagination': 'True' })).body as Page['objects'];
  assert.deepEqual(plain.map((n) => n.event_type), [1, 2], 'an unchanged mention is not notified again');
  assert.deepEqual((await call('PATCH', `/web-notifications/${plain[1]!.id}/set-as-read`, 'user2', {})).body, {});
  const unread = (await call('GET', '/web-notifications?only_unread=false', 'user2')).body as Page;
  assert.deepEqual(unread.objects.map((n) => n.event_type), [1], '"false" is a value');
  const all = (await call('GET', '/web-notifications', 'user2')).body as Page;
  assert.deepEqual(all.objects.map((n) => n.read === null), [true, false], 'unread first');
});

test('set-as-read: PATCH marks any existing id (check_permissions returns, it does not raise); POST marks all of the caller\'s', async () => {
  await call('PATCH', '/tasks/3', 'admin', { assigned_to: 8, version: 1 });
  const [note] = ((await call('GET', '/web-notifications', 'user2')).body as Page).objects;
  assert.equal((await call('PATCH', `/web-notifications/${note!.id}/set-as-read`, 'user1', {})).status, 200);
  assert.notEqual((((await call('GET', '/web-notifications', 'user2')).body as Page).objects[0]!.read), null);
  assert.deepEqual((await call('PATCH', '/web-notifications/999/set-as-read', 'user2', {})).body, { _error_message: 'No WebNotification matches the given query.' });
  await call('PATCH', '/tasks/1', 'admin', { assigned_to: 8, version: 1 });
  const all = await call('POST', '/web-notifications/set-as-read', 'user2');
  assert.deepEqual([all.status, all.body, all.headers.get('content-type')], [200, null, null]);
  assert.equal(((await call('GET', '/web-notifications?only_unread=1', 'user2')).body as Page).total, 0);
});

test('notify-policies: one per project of the caller; PATCH checks the level; web off stops web notifications', async () => {
  const list = (await call('GET', '/notify-policies', 'user2')).body as Array<{ id: number; project: number; project_name: string; notify_level: number; live_notify_level: number; web_notify_level: boolean }>;
  const p1 = list.find((p) => p.project === 1)!;
  assert.deepEqual(Object.keys(p1), ['id', 'project', 'project_name', 'notify_level', 'live_notify_level', 'web_notify_level']);
  assert.deepEqual([p1.notify_level, p1.web_notify_level], [1, true], 'a member\'s policy is made at "involved" with the membership');
  const bad = await call('PATCH', `/notify-policies/${p1.id}`, 'user2', { notify_level: 7 });
  assert.deepEqual([bad.status, bad.body], [400, { notify_level: ['Select a valid choice. 7 is not one of the available choices.'] }]);
  assert.equal((await call('PATCH', `/notify-policies/${p1.id}`, 'user1', { notify_level: 3 })).status, 404, "someone else's policy");
  const off = await call('PATCH', `/notify-policies/${p1.id}`, 'user2', { notify_level: 3, web_notify_level: false });
  assert.deepEqual([(off.body as typeof p1).notify_level, (off.body as typeof p1).web_notify_level], [3, false]);
  await call('PATCH', '/tasks/3', 'admin', { assigned_to: 8, version: 1 });
  assert.equal(((await call('GET', '/web-notifications', 'user2')).body as Page).total, 0);
});

test('bulk_create of memberships tells each added user (4), not the invited addresses', async () => {
  const res = await call('POST', '/memberships/bulk_create', 'admin', { project_id: 1, bulk_memberships: [{ role_id: 1, username: 'user1' }, { role_id: 1, username: 'x@example.com' }] });
  assert.equal(res.status, 200);
  const notes = ((await call('GET', '/web-notifications', 'user1')).body as Page).objects;
  assert.deepEqual(notes.map((n) => [n.event_type, n.data.project.slug, 'obj' in n.data]), [[4, 'project-1', false]]);
});
