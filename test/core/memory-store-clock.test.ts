import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../core/sessions/memory-store.js';
import { LoginLimiter } from '../../core/sessions/login-limiter.js';
import { TaigaMcpError } from '../../core/errors.js';
import { newSession } from './store-contract.js';

/**
 * The in-memory store (what every stdio user runs) at the edges of its times, on a clock the test
 * moves: a window, a lockout or a session ends at its exact millisecond, not one before or after.
 */
function clocked(start = 1_000_000) {
  const clock = { now: start };
  return { clock, store: new MemoryStore({ now: () => clock.now }) };
}

test('login attempts: an attempt leaves the window at its exact end; a lockout ends at its exact end and is not extended by more tries', async () => {
  const { clock, store } = clocked();
  const limits = { max: 2, windowMs: 1000, lockoutMs: 5000 };
  const t0 = clock.now;
  assert.equal((await store.loginAttempt('ip', limits)).lockedUntil, undefined);
  clock.now = t0 + 10;
  assert.equal((await store.loginAttempt('ip', limits)).lockedUntil, undefined);
  clock.now = t0 + 1000; // the first attempt is exactly one window old: it no longer counts
  assert.equal((await store.loginAttempt('ip', limits)).lockedUntil, undefined);
  clock.now = t0 + 1005;
  const locked = await store.loginAttempt('ip', limits);
  assert.deepEqual(locked, { now: t0 + 1005, lockedUntil: t0 + 6005 });
  clock.now = t0 + 3000;
  assert.deepEqual(await store.loginAttempt('ip', limits), { now: t0 + 3000, lockedUntil: t0 + 6005 }, 'a try while locked out does not move the end');
  clock.now = t0 + 6004;
  assert.equal((await store.lockout('ip')).lockedUntil, t0 + 6005);
  clock.now = t0 + 6005;
  assert.deepEqual(await store.lockout('ip'), { now: t0 + 6005 });
  assert.deepEqual(await store.loginAttempt('ip', limits), { now: t0 + 6005 }, 'the tries before the lockout have left the window');
});

test('the login limiter says when to come back, in seconds rounded up and as a time', async () => {
  const { clock, store } = clocked(Date.UTC(2026, 11, 7, 12, 0, 0));
  const limiter = new LoginLimiter(store, 1, 2);
  await limiter.check('ip');
  clock.now += 500;
  const err = await limiter.check('ip').then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof TaigaMcpError);
  assert.equal(err.code, 'RATE_LIMITED');
  assert.equal(err.message, 'Too many login attempts; locked until 2026-12-07T12:02:00.500Z.');
  assert.deepEqual(err.details, { retry_after_seconds: 120, retry_at: '2026-12-07T12:02:00.500Z', source: 'login' });
  clock.now += 119_001;
  const later = await limiter.check('ip').then(() => undefined, (e: unknown) => e);
  assert.equal((later as TaigaMcpError).details?.['retry_after_seconds'], 1, 'what is left, rounded up');
});

test('the call bucket refills at its rate and says how long until the next token', async () => {
  const { clock, store } = clocked();
  assert.equal(await store.takeToken('k', 1, 2), 0);
  clock.now += 100; // 0.2 of a token back: 0.8 to go at 2 a second
  assert.equal(await store.takeToken('k', 1, 2), 400);
  clock.now += 400;
  assert.equal(await store.takeToken('k', 1, 2), 0);
});

test('a session ends at its exact expiry: looked up, renewed, counted and swept', async () => {
  const { clock, store } = clocked();
  const [looked, swept] = [newSession(), newSession()];
  const { record } = await store.createSession(looked, { ttlMs: 1000, maxPerUser: 5 });
  await store.createSession(swept, { ttlMs: 1000, maxPerUser: 5 });
  clock.now = record.expiresAt - 1;
  assert.equal((await store.getSession(looked.id, 'alice')).state, 'active');
  assert.equal(await store.activeSessions(), 2);
  assert.equal(await store.sweep(), 0);
  clock.now = record.expiresAt;
  assert.equal(await store.activeSessions(), 0);
  assert.equal((await store.getSession(looked.id, 'alice')).state, 'expired', 'found expired by its lookup');
  assert.equal(await store.sweep(), 1, 'the other, by the sweep');
  assert.equal((await store.getSession(swept.id, 'alice')).state, 'expired');
  assert.equal(await store.updateTokens(looked.id, looked.refreshToken!, { authToken: 'a', refreshToken: 'r' }), 'gone');
});

test('a lookup does not move last access; a touch does', async () => {
  const { clock, store } = clocked();
  const session = newSession();
  const { record } = await store.createSession(session, { ttlMs: 60_000, maxPerUser: 5 });
  clock.now += 10;
  const seen = await store.getSession(session.id, 'alice');
  assert.equal(seen.state === 'active' && seen.record.lastAccessedAt, record.lastAccessedAt);
  clock.now += 10;
  const touched = await store.touchSession(session.id, 'alice');
  assert.equal(touched.state === 'active' && touched.record.lastAccessedAt, record.lastAccessedAt + 20);
  assert.equal(await store.deleteSession(session.id, 'mallory'), 'unknown', 'deleting needs the owner');
  assert.equal((await store.getSession(session.id, 'alice')).state, 'active', 'and a lookup by another leaves it');
});

test('over the per-user limit the oldest sessions go, whatever order they were made in', async () => {
  const { clock, store } = clocked();
  const userKey = 'taiga|user1';
  const made: string[] = [];
  for (const at of [3, 1, 2]) {
    clock.now = 1_000_000 + at;
    made.push((await store.createSession(newSession({ userKey }), { ttlMs: 60_000, maxPerUser: 10 })).record.id);
  }
  clock.now = 1_000_010;
  const { evicted } = await store.createSession(newSession({ userKey }), { ttlMs: 60_000, maxPerUser: 2 });
  assert.deepEqual(evicted, [made[1]!.slice(0, 8), made[2]!.slice(0, 8)], 'made at 1 and 2, before the one made at 3');
});

test('a refresh lock is held until its exact end; releasing needs its owner, and an unknown lock is not released', async () => {
  const { clock, store } = clocked();
  const owner = await store.acquireRefreshLock('s', 100);
  assert.ok(owner);
  clock.now += 99;
  assert.equal(await store.acquireRefreshLock('s', 100), undefined);
  clock.now += 1;
  const next = await store.acquireRefreshLock('s', 100);
  assert.ok(next && next !== owner);
  assert.equal(await store.releaseRefreshLock('s', owner), false);
  assert.equal(await store.releaseRefreshLock('never', owner), false);
  assert.equal(await store.releaseRefreshLock('s', next), true);
});

test('a claim lasts until its exact end', async () => {
  const { clock, store } = clocked();
  assert.equal(await store.claimOnce('k', 100), true);
  clock.now += 99;
  assert.equal(await store.claimOnce('k', 100), false);
  clock.now += 1;
  assert.equal(await store.claimOnce('k', 100), true);
});

test('the per-user index follows the sessions: a flood of users keeps it within the session bound, and a deleted, expired or closed session leaves it', async () => {
  const clock = { now: 1_000_000 };
  const bounded = new MemoryStore({ now: () => clock.now, maxSessions: 5 });
  assert.deepEqual([await bounded.sweep(), bounded.countSessions(), await bounded.activeSessions()], [0, 0, 0], 'a store that never held a session');
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await bounded.createSession(newSession({ userKey: `taiga|user${i}` }), { ttlMs: i === 19 ? 1000 : 60_000, maxPerUser: 5 })).record.id);
  assert.equal(bounded.countSessions(), 5);
  assert.equal(bounded.countIndexedUsers(), 5, 'the users of the sessions pushed out are gone from the index');
  assert.equal(await bounded.deleteSession(ids[18]!, 'alice'), 'active');
  assert.equal(bounded.countIndexedUsers(), 4);
  clock.now += 1000;
  assert.equal(await bounded.sweep(), 1);
  assert.equal(bounded.countIndexedUsers(), 3);
  await bounded.close();
  assert.deepEqual([bounded.countSessions(), bounded.countIndexedUsers()], [0, 0], 'closed, it holds nothing');
});
