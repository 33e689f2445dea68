import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

test('login opens a session for another account; its calls run as that user', async () => {
  const login = dataOf<{ session_id: string; username: string; expires_at: string }>(await h.call('login', { username: 'user2', password: '123123' }));
  assert.match(login.session_id, /^[0-9a-f-]{36}$/);
  assert.equal(login.username, 'user2');
  const status = dataOf<{ active: boolean; username: string }>(await h.call('session_status', { session_id: login.session_id }));
  assert.deepEqual([status.active, status.username], [true, 'user2']);
  const mine = dataOf<{ items: Array<{ slug: string }> }>(await h.call('list_projects', { session_id: login.session_id }));
  const admins = dataOf<{ items: Array<{ slug: string }> }>(await h.call('list_projects', {}));
  assert.ok(mine.items.length < admins.items.length, 'user2 sees only its own projects');
  dataOf(await h.call('logout', { session_id: login.session_id }));
  assert.equal(errorOf(await h.call('list_projects', { session_id: login.session_id })).code, 'SESSION_INVALID');
});

test('unknown and malformed session ids are coded errors', async () => {
  assert.equal(errorOf(await h.call('list_projects', { session_id: '00000000-0000-4000-8000-000000000000' })).code, 'SESSION_INVALID');
  assert.equal(errorOf(await h.call('list_projects', { session_id: 42 })).code, 'INVALID_INPUT');
  assert.equal(errorOf(await h.call('session_status', { session_id: 'nope' })).code, 'SESSION_INVALID');
  assert.equal(errorOf(await h.call('logout', { session_id: 'nope' })).code, 'SESSION_INVALID');
});

test('wrong credentials: AUTH_FAILED, and the password is not echoed', async () => {
  const result = await h.call('login', { username: 'user2', password: 'wrong-password-xyz' });
  assert.equal(errorOf(result).code, 'AUTH_FAILED');
  assert.doesNotMatch(JSON.stringify(result), /wrong-password-xyz/);
});

test('a host that is not configured is refused before any connection', async () => {
  const before = h.emulator.requests.length;
  const err = errorOf(await h.call('login', { username: 'user2', password: '123123', host: 'https://evil.example.com' }));
  assert.equal(err.code, 'HOST_NOT_ALLOWED');
  assert.equal(h.emulator.requests.length, before);
});

test('expired Taiga tokens are refreshed transparently (default and login sessions)', async () => {
  const { session_id } = dataOf<{ session_id: string }>(await h.call('login', { username: 'user2', password: '123123' }));
  dataOf(await h.call('list_projects', {}));
  h.emulator.expireAccessTokens();
  dataOf(await h.call('list_projects', {}));
  dataOf(await h.call('list_projects', { session_id }));
  assert.ok(h.emulator.requests.some((r) => r.path.endsWith('/auth/refresh') && r.status === 200));
});

test('limits: expiry, per-user cap, login lockout; no default credentials means AUTH_REQUIRED', async () => {
  const s = await startHarness({ credentials: false, env: { SESSION_EXPIRY: '1', MAX_SESSIONS_PER_USER: '2', LOGIN_RATE_LIMIT: '4', LOGIN_LOCKOUT_MINUTES: '15' } });
  try {
    assert.equal(errorOf(await s.call('list_projects', {})).code, 'AUTH_REQUIRED');
    const first = dataOf<{ session_id: string }>(await s.call('login', { username: 'user1', password: '123123' })).session_id;
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(errorOf(await s.call('list_projects', { session_id: first })).code, 'SESSION_EXPIRED');
    assert.equal(errorOf(await s.call('session_status', { session_id: first })).code, 'SESSION_EXPIRED');

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(dataOf<{ session_id: string }>(await s.call('login', { username: 'user2', password: '123123' })).session_id);
    assert.equal(errorOf(await s.call('session_status', { session_id: ids[0]! })).code, 'SESSION_INVALID', 'the oldest was dropped');
    dataOf(await s.call('session_status', { session_id: ids[2]! }));

    const locked = errorOf(await s.call('login', { username: 'user2', password: '123123' }));
    assert.equal(locked.code, 'RATE_LIMITED');
    assert.ok(Number(locked.details?.['retry_after_seconds']) > 14 * 60);
    assert.match(String(locked.details?.['retry_at']), /^\d{4}-\d\d-\d\dT/);
  } finally {
    await s.close();
  }
});
