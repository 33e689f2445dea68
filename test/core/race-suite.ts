import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { validateConfig } from '../../core/config/load.js';
import { createLogger } from '../../core/logger.js';
import { SessionManager, type SessionManagerOptions } from '../../core/sessions/manager.js';
import { TaigaHosts } from '../../core/taiga-hosts.js';
import { TaigaSession } from '../../core/sessions/taiga-session.js';
import { rateLimit } from '../../core/pipeline/rate-limit.js';
import { TaigaMcpError } from '../../core/errors.js';
import type { StateStore } from '../../core/sessions/types.js';
import type { ToolCall } from '../../core/pipeline/types.js';
import { CopyingMemoryStore } from '../helpers/copying-store.js';

/** Two instances' views of one shared state (for the memory stores, the same object twice). */
export interface SharedState {
  one: StateStore;
  two: StateStore;
  close(): Promise<void>;
}

const fresh = () => new AbortController().signal;
const code = (c: string) => (e: unknown) => e instanceof TaigaMcpError && e.code === c;

/** The races of a store shared by several instances, played by two SessionManagers against the Taiga emulator. */
export function raceSuite(name: string, make: () => Promise<SharedState>): void {
  describe(`races between instances: ${name}`, { timeout: 20_000 }, () => {
    let emulator: Emulator;
    let state: SharedState;
    const hosts: TaigaHosts[] = [];
    before(async () => {
      emulator = await startEmulator();
    });
    after(async () => emulator.close());
    beforeEach(async () => {
      emulator.reset();
      emulator.knobs.clear();
      await Promise.all(hosts.splice(0).map((h) => h.close()));
      await state?.close();
      state = await make();
    });
    after(async () => {
      await Promise.all(hosts.splice(0).map((h) => h.close()));
      await state?.close();
    });
    const refreshes = () => emulator.requests.filter((r) => r.path === '/api/v1/auth/refresh').length;

    function instance(store: StateStore, over: Record<string, unknown> = {}, opts: SessionManagerOptions = {}) {
      const config = validateConfig({ taiga: { url: emulator.url, allowHttp: true }, rateLimits: { loginPerMinute: 1000 }, ...over });
      const h = new TaigaHosts(config, createLogger('silent'));
      hosts.push(h);
      // A lock that outlives every test: a refresh that did not release it would stall the next one.
      const sessions = new SessionManager(config, store, h, createLogger('silent'), { ...opts, refresh: { lockTtlMs: 60_000, pollMs: 10, ...opts.refresh } });
      const whoAmI = async (id: string, principal = 'alice') => {
        const caller = await sessions.authenticate(id, principal, fresh());
        return (await new TaigaSession(h.client(caller.apiUrl), caller.tokens, fresh()).get<{ username: string }>('/users/me')).username;
      };
      const login = (username = 'user2', principal = 'alice') => sessions.login({ username, password: '123123', source: 's', principal, signal: fresh() });
      return { sessions, whoAmI, login };
    }

    test('a tool call that read the session before a refresh does not undo the refresh', async () => {
      const a = instance(state.one);
      const { session_id } = await a.login();
      const gate = state.one instanceof CopyingMemoryStore ? state.one.hold('touchSession') : undefined;
      const slow = a.sessions.authenticate(session_id, 'alice', fresh());
      await gate?.reached;
      emulator.expireAccessTokens();
      assert.equal(await instance(state.two).whoAmI(session_id), 'user2');
      gate?.release();
      await slow;
      emulator.expireAccessTokens();
      assert.equal(await a.whoAmI(session_id), 'user2', 'the next refresh must still work');
    });

    test('ten sessions whose tool calls race their refreshes all survive the next refresh', async () => {
      const a = instance(state.one);
      const b = instance(state.two);
      const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => a.login(`user${(i % 9) + 1}`).then((r) => r.session_id)));
      emulator.expireAccessTokens();
      await Promise.all(ids.flatMap((id) => [a.sessions.authenticate(id, 'alice', fresh()), b.whoAmI(id)]));
      emulator.expireAccessTokens();
      const results = await Promise.allSettled(ids.map((id) => a.whoAmI(id)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10, JSON.stringify(results.filter((r) => r.status === 'rejected')));
    });

    test('two instances refreshing one session: one refresh reaches Taiga, both callers succeed', async () => {
      const a = instance(state.one);
      const b = instance(state.two);
      const { session_id } = await a.login();
      emulator.expireAccessTokens();
      const results = await Promise.allSettled([a.whoAmI(session_id), b.whoAmI(session_id), b.whoAmI(session_id)]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled'], JSON.stringify(results));
      assert.equal(refreshes(), 1);
      assert.equal((await state.two.getSession(session_id, 'alice')).state, 'active');
    });

    test('a refresh lock that lapsed: the late loser of Taiga\'s rotation does not expire the session', async () => {
      const opts = { refresh: { lockTtlMs: 100, pollMs: 10 } };
      const a = instance(state.one, {}, opts);
      const b = instance(state.two, {}, opts);
      const { session_id } = await a.login();
      emulator.expireAccessTokens();
      emulator.knobs.beforeNext(/auth\/refresh/, () => sleep(400)); // a's refresh outlives its lock
      const first = a.whoAmI(session_id);
      await sleep(150);
      const results = await Promise.allSettled([first, b.whoAmI(session_id)]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled'], JSON.stringify(results));
      assert.equal(refreshes(), 2, 'both reached Taiga: one was refused');
      assert.equal((await state.one.getSession(session_id, 'alice')).state, 'active');
      emulator.expireAccessTokens();
      assert.equal(await a.whoAmI(session_id), 'user2');
    });

    test('a logout while a refresh is under way is not undone by it', async () => {
      const a = instance(state.one);
      const { session_id } = await a.login();
      const caller = await a.sessions.authenticate(session_id, 'alice', fresh());
      const stale = await caller.tokens.current(fresh());
      emulator.knobs.beforeNext(/auth\/refresh/, async () => void (await instance(state.two).sessions.logout(session_id, 'alice')));
      await assert.rejects(caller.tokens.renew(stale, fresh()), code('SESSION_INVALID'));
      assert.deepEqual(await state.one.getSession(session_id, 'alice'), { state: 'unknown' });
    });

    test('concurrent renewals in one process share one refresh, and ask the store for the lock once', async () => {
      const a = instance(state.one);
      const { session_id } = await a.login();
      const caller = await a.sessions.authenticate(session_id, 'alice', fresh());
      const stale = await caller.tokens.current(fresh());
      const store = state.one instanceof CopyingMemoryStore ? state.one : undefined;
      const before = store?.calls.get('acquireRefreshLock') ?? 0;
      const renewed = await Promise.all(Array.from({ length: 5 }, () => caller.tokens.renew(stale, fresh())));
      assert.equal(new Set(renewed).size, 1);
      assert.notEqual(renewed[0], stale);
      assert.equal(refreshes(), 1);
      if (store) assert.equal(store.calls.get('acquireRefreshLock')! - before, 1);
    });

    test('a refresh lock that stays taken makes the waiter give up with a coded error', async () => {
      const a = instance(state.one, {}, { refresh: { lockTtlMs: 100, pollMs: 10 } });
      const { session_id } = await a.login();
      const caller = await a.sessions.authenticate(session_id, 'alice', fresh());
      const stale = await caller.tokens.current(fresh());
      assert.ok(await state.two.acquireRefreshLock(session_id, 60_000));
      await assert.rejects(caller.tokens.renew(stale, fresh()), code('TIMEOUT'));
      assert.equal(refreshes(), 0);
    });

    test('twenty concurrent logins of one user on two instances leave exactly maxPerUser sessions', async () => {
      const a = instance(state.one);
      const b = instance(state.two);
      const logins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).login('user1')));
      const states = await Promise.all(logins.map((l) => state.one.getSession(l.session_id, 'alice')));
      assert.equal(states.filter((s) => s.state === 'active').length, 5);
      for (const s of [state.one, state.two]) if (s instanceof CopyingMemoryStore) assert.ok(Math.max(...s.peak.values()) <= 5, 'never more at any moment');
    });

    test('a login lockout set through one instance holds on the other', async () => {
      const over = { rateLimits: { loginPerMinute: 1, loginLockoutMinutes: 1 } };
      const a = instance(state.one, over);
      const b = instance(state.two, over);
      await a.sessions.login({ username: 'user1', password: '123123', source: 'ip', principal: 'alice', signal: fresh() });
      await assert.rejects(a.sessions.login({ username: 'user1', password: '123123', source: 'ip', principal: 'alice', signal: fresh() }), code('RATE_LIMITED'));
      await assert.rejects(b.sessions.login({ username: 'user1', password: '123123', source: 'ip', principal: 'alice', signal: fresh() }), code('RATE_LIMITED'));
    });

    test('one token bucket for a session, whichever instance takes from it', async () => {
      const call = { rateKey: 'session-1' } as ToolCall;
      await rateLimit({ store: state.one, burst: 1, perSecond: 0.01 })(call, async () => undefined);
      await assert.rejects(rateLimit({ store: state.two, burst: 1, perSecond: 0.01 })(call, async () => undefined), code('RATE_LIMITED'));
    });

    test('a session answers another principal exactly like an unknown id, and they cannot close it', async () => {
      const a = instance(state.one, { sessions: { expirySeconds: 1 } });
      const b = instance(state.two);
      const { session_id } = await a.login('user2', 'alice');
      const unknown = await b.sessions.status('00000000-0000-4000-8000-000000000000', 'mallory').catch((e: TaigaMcpError) => e);
      for (const attempt of [b.sessions.status(session_id, 'mallory'), b.sessions.authenticate(session_id, 'mallory', fresh()), b.sessions.logout(session_id, 'mallory')]) {
        const err = await attempt.then(() => undefined, (e: TaigaMcpError) => e);
        assert.deepEqual(err?.toJSON(), (unknown as TaigaMcpError).toJSON());
      }
      assert.equal(await a.whoAmI(session_id, 'alice'), 'user2', 'still open for its owner');
      await sleep(1100);
      await assert.rejects(b.sessions.status(session_id, 'mallory'), code('SESSION_INVALID'));
      await assert.rejects(a.sessions.status(session_id, 'alice'), code('SESSION_EXPIRED'));
      assert.equal(await a.sessions.logout(session_id, 'alice'), false);
    });
  });
}
