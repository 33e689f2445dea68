import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { NewSession, StateStore } from '../../core/sessions/types.js';

/** One store under test, fresh for each test. */
export interface StoreUnderTest {
  store: StateStore;
  /** Another instance sharing the same state (for Redis: another client). */
  other: StateStore;
  /** Moves the store's clock on (an injected clock), or waits (Redis keeps real time). */
  advance(ms: number): Promise<void>;
  /** Whether `advance` can jump a day. */
  jumps: boolean;
  close(): Promise<void>;
}

const TTL = 300;
const user = (n = 1) => `http://taiga.test/api/v1|user${n}`;
export const newSession = (over: Partial<NewSession> = {}): NewSession => ({
  id: randomUUID(),
  principal: 'alice',
  userKey: user(),
  username: 'user1',
  userId: 7,
  apiUrl: 'http://taiga.test/api/v1',
  authToken: `access-${randomUUID()}`,
  refreshToken: `refresh-${randomUUID()}`,
  ...over,
});

/** The StateStore contract (core/sessions/types.ts), the same for every store. */
export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  const it = (title: string, run: (s: StoreUnderTest) => Promise<void>) =>
    test(title, async () => {
      const s = await make();
      try {
        await run(s);
      } finally {
        await s.close();
      }
    });

  describe(`StateStore contract: ${name}`, () => {
    it('a created session reads back as a copy, with the times of the store clock', async ({ store }) => {
      const before = await store.now();
      const { record, evicted } = await store.createSession(newSession(), { ttlMs: TTL, maxPerUser: 5 });
      assert.deepEqual(evicted, []);
      assert.ok(record.createdAt >= before && record.expiresAt === record.createdAt + TTL && record.lastAccessedAt === record.createdAt);
      const found = await store.getSession(record.id, 'alice');
      assert.deepEqual(found, { state: 'active', record });
      if (found.state === 'active') found.record.authToken = 'changed by the caller';
      assert.deepEqual(await store.getSession(record.id, 'alice'), { state: 'active', record });
    });

    it('a session without a refresh token reads back without one', async ({ store }) => {
      const { record } = await store.createSession(newSession({ refreshToken: undefined }), { ttlMs: TTL, maxPerUser: 5 });
      const found = await store.getSession(record.id, 'alice');
      assert.ok(found.state === 'active' && found.record.refreshToken === undefined, JSON.stringify(found));
    });

    it('another principal sees an active or expired session exactly as an unknown one', async (s) => {
      const { record } = await s.store.createSession(newSession(), { ttlMs: TTL, maxPerUser: 5 });
      assert.deepEqual(await s.store.getSession(record.id, 'mallory'), { state: 'unknown' });
      assert.deepEqual(await s.store.touchSession(record.id, 'mallory'), { state: 'unknown' });
      assert.equal(await s.store.deleteSession(record.id, 'mallory'), 'unknown');
      assert.equal((await s.store.getSession(record.id, 'alice')).state, 'active', 'not deleted by another principal');
      await s.advance(TTL + 50);
      assert.deepEqual(await s.store.getSession(record.id, 'mallory'), { state: 'unknown' });
      assert.deepEqual(await s.store.getSession(record.id, 'alice'), { state: 'expired' });
      assert.deepEqual(await s.store.getSession(randomUUID(), 'alice'), { state: 'unknown' });
    });

    it('an expired session stays "expired" (not "unknown") for a day, then is forgotten', async (s) => {
      const { record } = await s.store.createSession(newSession(), { ttlMs: TTL, maxPerUser: 5 });
      await s.advance(TTL + 50);
      assert.deepEqual(await s.store.touchSession(record.id, 'alice'), { state: 'expired' });
      assert.equal(await s.store.deleteSession(record.id, 'alice'), 'expired');
      assert.deepEqual(await s.other.getSession(record.id, 'alice'), { state: 'expired' });
      if (!s.jumps) return;
      assert.equal(await s.store.sweep(), 0, 'already expired on the way');
      await s.advance(24 * 3600_000);
      assert.deepEqual(await s.store.getSession(record.id, 'alice'), { state: 'unknown' });
    });

    it('sweep expires what has run out, and it stays "expired"', async (s) => {
      const { record } = await s.store.createSession(newSession(), { ttlMs: TTL, maxPerUser: 5 });
      await s.advance(TTL + 50);
      if (s.jumps) assert.equal(await s.store.sweep(), 1);
      assert.deepEqual(await s.store.getSession(record.id, 'alice'), { state: 'expired' });
    });

    it('touch sets the last access and nothing else: a refresh written meanwhile stays', async (s) => {
      const { record } = await s.store.createSession(newSession(), { ttlMs: 60_000, maxPerUser: 5 });
      await s.advance(20);
      const next = { authToken: 'access-2', refreshToken: 'refresh-2' };
      assert.equal(await s.other.updateTokens(record.id, record.refreshToken!, next), 'updated');
      const touched = await s.store.touchSession(record.id, 'alice');
      assert.equal(touched.state, 'active');
      if (touched.state !== 'active') return;
      assert.ok(touched.record.lastAccessedAt > record.lastAccessedAt);
      assert.deepEqual([touched.record.authToken, touched.record.refreshToken, touched.record.expiresAt], [next.authToken, next.refreshToken, record.expiresAt]);
      const read = await s.other.getSession(record.id, 'alice');
      assert.equal(read.state === 'active' && read.record.lastAccessedAt, touched.record.lastAccessedAt);
    });

    it('token updates are compare-and-set on the refresh token', async (s) => {
      const { record } = await s.store.createSession(newSession(), { ttlMs: 60_000, maxPerUser: 5 });
      const first = { authToken: 'a1', refreshToken: 'r1' };
      assert.equal(await s.store.updateTokens(record.id, record.refreshToken!, first), 'updated');
      assert.equal(await s.other.updateTokens(record.id, record.refreshToken!, { authToken: 'a2', refreshToken: 'r2' }), 'stale');
      const read = await s.store.getSession(record.id, 'alice');
      assert.deepEqual(read.state === 'active' && [read.record.authToken, read.record.refreshToken], ['a1', 'r1']);
      assert.equal(await s.store.deleteSession(record.id, 'alice'), 'active');
      assert.equal(await s.store.updateTokens(record.id, 'r1', { authToken: 'a3', refreshToken: 'r3' }), 'gone', 'a logout is not undone');
      assert.deepEqual(await s.store.getSession(record.id, 'alice'), { state: 'unknown' });
      assert.equal(await s.store.updateTokens(randomUUID(), 'r1', first), 'gone');
    });

    it('expiring after a refused refresh is compare-and-set too: a session renewed meanwhile lives', async (s) => {
      const { record } = await s.store.createSession(newSession(), { ttlMs: 60_000, maxPerUser: 5 });
      assert.equal(await s.other.updateTokens(record.id, record.refreshToken!, { authToken: 'a1', refreshToken: 'r1' }), 'updated');
      assert.equal(await s.store.expireSession(record.id, record.refreshToken!), false);
      assert.equal((await s.store.getSession(record.id, 'alice')).state, 'active');
      assert.equal(await s.store.expireSession(record.id, 'r1'), true);
      assert.deepEqual(await s.other.getSession(record.id, 'alice'), { state: 'expired' });
      assert.equal(await s.store.expireSession(record.id, 'r1'), false, 'already expired');
      assert.equal(await s.store.updateTokens(record.id, 'r1', { authToken: 'a2', refreshToken: 'r2' }), 'gone');
      assert.equal(await s.store.expireSession(randomUUID(), 'r1'), false);
    });

    it('twenty concurrent logins of one user on two instances leave exactly the 5 newest', async (s) => {
      const sessions = Array.from({ length: 20 }, (_, i) => newSession({ principal: i % 2 ? 'alice' : 'bob' }));
      const other = newSession({ userKey: user(2) });
      await s.store.createSession(other, { ttlMs: 60_000, maxPerUser: 5 });
      const created = await Promise.all(sessions.map((n, i) => (i % 2 ? s.other : s.store).createSession(n, { ttlMs: 60_000, maxPerUser: 5 })));
      const evicted = created.flatMap((c) => c.evicted);
      assert.equal(evicted.length, 15);
      const states = await Promise.all(sessions.map((n) => s.store.getSession(n.id, n.principal)));
      const alive = created.filter((_, i) => states[i]!.state === 'active').map((c) => c.record);
      assert.equal(alive.length, 5);
      const newest = created.map((c) => c.record).sort((a, b) => a.createdAt - b.createdAt).slice(-5);
      assert.ok(alive.every((r) => r.createdAt >= newest[0]!.createdAt), 'the oldest go first');
      assert.deepEqual(new Set(evicted), new Set(sessions.filter((_, i) => states[i]!.state !== 'active').map((n) => n.id.slice(0, 8))));
      assert.equal(states.filter((st) => st.state === 'unknown').length, 15, 'a dropped session is unknown');
      assert.equal((await s.store.getSession(other.id, 'alice')).state, 'active', "another user's sessions are not counted");
    });

    it('activeSessions counts the live sessions of every user, seen from any instance; not evicted, deleted or expired ones', async (s) => {
      assert.equal(await s.store.activeSessions(), 0);
      const short = await s.store.createSession(newSession({ userKey: user(3) }), { ttlMs: TTL, maxPerUser: 5 });
      const long = { ttlMs: 60_000, maxPerUser: 2 };
      const mine = [];
      for (let i = 0; i < 3; i++) mine.push((await s.store.createSession(newSession(), long)).record);
      const theirs = await s.other.createSession(newSession({ userKey: user(2), principal: 'bob' }), long);
      assert.equal(await s.other.activeSessions(), 4, 'one evicted by the cap of 2');
      assert.equal(await s.store.deleteSession(mine[2]!.id, 'alice'), 'active');
      await s.advance(TTL + 50);
      assert.equal(await s.store.activeSessions(), 2, 'the deleted and the expired ones are gone');
      assert.equal((await s.store.getSession(short.record.id, 'alice')).state, 'expired', 'counting expired nothing by itself');
      assert.equal((await s.store.getSession(theirs.record.id, 'bob')).state, 'active');
    });

    it('expired sessions do not count towards the cap', async (s) => {
      const old = await s.store.createSession(newSession(), { ttlMs: TTL, maxPerUser: 1 });
      await s.advance(TTL + 50);
      const { evicted } = await s.store.createSession(newSession(), { ttlMs: TTL, maxPerUser: 1 });
      assert.deepEqual(evicted, []);
      assert.deepEqual(await s.store.getSession(old.record.id, 'alice'), { state: 'expired' });
    });

    it('one refresh lock per session, across instances, released only by its owner, lapsing after its TTL', async (s) => {
      const id = randomUUID();
      const owner = await s.store.acquireRefreshLock(id, TTL);
      assert.ok(owner);
      assert.equal(await s.other.acquireRefreshLock(id, TTL), undefined);
      assert.ok(await s.store.acquireRefreshLock(randomUUID(), TTL), 'per session');
      assert.equal(await s.other.releaseRefreshLock(id, 'not-the-owner'), false);
      assert.equal(await s.other.acquireRefreshLock(id, TTL), undefined, 'still held');
      assert.equal(await s.other.releaseRefreshLock(id, owner), true);
      const next = await s.other.acquireRefreshLock(id, TTL);
      assert.ok(next && next !== owner);
      await s.advance(TTL + 50);
      const third = await s.store.acquireRefreshLock(id, TTL);
      assert.ok(third, 'a lapsed lock can be taken');
      assert.equal(await s.other.releaseRefreshLock(id, next), false, 'a lapsed holder cannot release the new holder');
      assert.equal(await s.store.acquireRefreshLock(id, TTL), undefined);
    });

    it('a key is claimed once, across instances, until its TTL lapses', async (s) => {
      const key = randomUUID();
      const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? s.other : s.store).claimOnce(key, TTL)));
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(await s.store.claimOnce(randomUUID(), TTL), true, 'per key');
      await s.advance(TTL + 50);
      assert.equal(await s.other.claimOnce(key, TTL), true, 'claimable again once lapsed');
      assert.equal(await s.store.claimOnce(key, TTL), false);
    });

    it('login attempts: the limit holds under concurrency on two instances, then a lockout, then it ends', async (s) => {
      const limits = { max: 3, windowMs: TTL, lockoutMs: TTL };
      const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? s.other : s.store).loginAttempt('ip-1', limits)));
      assert.equal(verdicts.filter((v) => v.lockedUntil === undefined).length, 3);
      const locked = await s.other.loginAttempt('ip-1', limits);
      assert.ok(locked.lockedUntil! > locked.now && locked.lockedUntil! <= locked.now + TTL);
      assert.equal((await s.store.loginAttempt('ip-2', limits)).lockedUntil, undefined, 'per source');
      // Seen from either instance without counting: a look while locked does not make the lockout longer.
      const seen = await s.store.lockout('ip-1');
      assert.equal(seen.lockedUntil, locked.lockedUntil);
      assert.ok(seen.now >= locked.now);
      assert.equal((await s.other.lockout('ip-1')).lockedUntil, locked.lockedUntil);
      assert.equal((await s.store.lockout('ip-2')).lockedUntil, undefined, 'per source');
      await s.advance(TTL + 50);
      assert.equal((await s.other.lockout('ip-1')).lockedUntil, undefined, 'the lockout ended');
      assert.equal((await s.store.loginAttempt('ip-1', limits)).lockedUntil, undefined, 'the lockout ended');
    });

    it('a look at the lockout counts no attempt', async (s) => {
      const limits = { max: 2, windowMs: TTL, lockoutMs: TTL };
      await s.store.loginAttempt('ip-3', limits);
      for (let i = 0; i < 5; i += 1) assert.equal((await (i % 2 ? s.other : s.store).lockout('ip-3')).lockedUntil, undefined);
      assert.equal((await s.other.loginAttempt('ip-3', limits)).lockedUntil, undefined);
      assert.notEqual((await s.store.loginAttempt('ip-3', limits)).lockedUntil, undefined);
    });

    it('the sliding window forgets old attempts; refused attempts are not counted', async (s) => {
      const limits = { max: 2, windowMs: TTL, lockoutMs: TTL };
      await s.store.loginAttempt('ip', limits);
      await s.store.loginAttempt('ip', limits);
      await s.advance(TTL + 50);
      assert.equal((await s.store.loginAttempt('ip', limits)).lockedUntil, undefined);
      assert.equal((await s.other.loginAttempt('ip', limits)).lockedUntil, undefined);
      const third = await s.store.loginAttempt('ip', limits);
      assert.equal(third.lockedUntil, third.now + TTL);
    });

    it('token buckets: a burst shared by every instance, then a steady rate', async (s) => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? s.other : s.store).takeToken('calls:k', 3, 10)));
      assert.equal(results.filter((w) => w === 0).length, 3);
      const wait = await s.store.takeToken('calls:k', 3, 10);
      assert.ok(wait > 0 && wait <= 100, String(wait));
      assert.equal(await s.other.takeToken('calls:other', 3, 10), 0, 'per key');
      await s.advance(wait + 20);
      assert.equal(await s.other.takeToken('calls:k', 3, 10), 0);
      assert.ok((await s.store.takeToken('calls:k', 3, 10)) > 0);
    });

    it('answers readiness', async ({ store }) => {
      assert.equal(await store.ready(), true);
    });
  });
}
