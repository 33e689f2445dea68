/**
 * Token renewal (core/sessions/refresh.ts) against a scripted Taiga on 127.0.0.1 and the memory
 * store: what the caller is told when Taiga refuses, fails, or another instance holds the lock.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../core/config/load.js';
import { createLogger } from '../../core/logger.js';
import { MemoryStore } from '../../core/sessions/memory-store.js';
import { refreshSession } from '../../core/sessions/refresh.js';
import { TaigaHosts } from '../../core/taiga-hosts.js';
import { TaigaMcpError } from '../../core/errors.js';
import { startFakeTaiga, sendJson, type FakeTaiga } from './taiga/fake-taiga.js';

let fake: FakeTaiga;
let hosts: TaigaHosts;
before(async () => {
  fake = await startFakeTaiga();
  hosts = new TaigaHosts(validateConfig({ taiga: { url: new URL(fake.baseUrl).origin, allowHttp: true, retries: 1 } }), createLogger('silent'));
});
after(async () => {
  await hosts.close();
  await fake.close();
});

const opts = { lockTtlMs: 40, pollMs: 5 };
const refreshCalls = () => fake.received.filter((r) => r.url === '/api/v1/auth/refresh').length;

async function storeWith(refreshToken: string | undefined): Promise<MemoryStore> {
  fake.received.length = 0;
  const store = new MemoryStore();
  await store.createSession(
    { id: 's1', principal: 'alice', userKey: 'k', username: 'user2', userId: 2, apiUrl: hosts.client().baseUrl, authToken: 'old', ...(refreshToken && { refreshToken }) },
    { ttlMs: 60_000, maxPerUser: 5 },
  );
  return store;
}

function rejectsWith(code: string, message: string, hint?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof TaigaMcpError, String(e));
    assert.deepEqual([e.code, e.message, ...(hint === undefined ? [] : [e.hint])], [code, message, ...(hint === undefined ? [] : [hint])]);
    return true;
  };
}

test('a renewal stores the rotated tokens and releases the lock', async () => {
  fake.handle((_, res) => sendJson(res, 200, { auth_token: 'new', refresh: 'r2' }));
  const store = await storeWith('r1');
  assert.equal(await refreshSession(store, hosts, opts, 's1', 'alice', 'Bearer old'), 'Bearer new');
  const found = await store.getSession('s1', 'alice');
  assert.deepEqual(found.state === 'active' && [found.record.authToken, found.record.refreshToken], ['new', 'r2']);
  assert.notEqual(await store.acquireRefreshLock('s1', 1000), undefined, 'the lock was released');
});

test('Taiga refusing the refresh token ends the session with its own message', async () => {
  fake.handle((_, res) => sendJson(res, 401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }));
  const store = await storeWith('r1');
  await assert.rejects(refreshSession(store, hosts, opts, 's1', 'alice', 'Bearer old'), rejectsWith('SESSION_EXPIRED', 'Taiga no longer accepts this session.'));
  assert.equal((await store.getSession('s1', 'alice')).state, 'expired');
});

test('a session without a refresh token expires without asking Taiga', async () => {
  fake.handle((_, res) => sendJson(res, 200, { auth_token: 'new', refresh: 'r2' }));
  const store = await storeWith(undefined);
  await assert.rejects(refreshSession(store, hosts, opts, 's1', 'alice', 'Bearer old'), rejectsWith('SESSION_EXPIRED', 'Taiga no longer accepts this session.'));
  assert.equal(refreshCalls(), 0);
});

test('Taiga failing during the refresh is reported as it is; the session stays', async () => {
  fake.handle((_, res) => sendJson(res, 502, {}));
  const store = await storeWith('r1');
  await assert.rejects(refreshSession(store, hosts, opts, 's1', 'alice', 'Bearer old'), rejectsWith('TAIGA_UNAVAILABLE', 'Taiga failed with HTTP 502.'));
  const found = await store.getSession('s1', 'alice');
  assert.deepEqual(found.state === 'active' && found.record.refreshToken, 'r1');
  assert.notEqual(await store.acquireRefreshLock('s1', 1000), undefined, 'the lock was released');
});

test('a lock another instance holds too long ends in TIMEOUT, without a refresh of our own', async () => {
  fake.handle((_, res) => sendJson(res, 200, { auth_token: 'new', refresh: 'r2' }));
  const store = await storeWith('r1');
  assert.notEqual(await store.acquireRefreshLock('s1', 60_000), undefined);
  await assert.rejects(
    refreshSession(store, hosts, opts, 's1', 'alice', 'Bearer old'),
    rejectsWith('TIMEOUT', 'Another server instance is still renewing this session.', 'Try again in a few seconds.'),
  );
  assert.equal(refreshCalls(), 0);
});

test('a waiter takes the tokens the lock holder stored', async () => {
  const store = await storeWith('r1');
  await store.acquireRefreshLock('s1', 60_000);
  await store.updateTokens('s1', 'r1', { authToken: 'other', refreshToken: 'r3' });
  assert.equal(await refreshSession(store, hosts, opts, 's1', 'alice', 'Bearer old'), 'Bearer other');
  assert.equal(refreshCalls(), 0);
});

test('a logout during the refresh is not undone: the caller learns the session is gone', async () => {
  const store = await storeWith('r1');
  fake.handle((_, res) => {
    void store.deleteSession('s1', 'alice').then(() => sendJson(res, 200, { auth_token: 'new', refresh: 'r2' }));
  });
  await assert.rejects(refreshSession(store, hosts, opts, 's1', 'alice', 'Bearer old'), rejectsWith('SESSION_INVALID', 'This session_id is not known.'));
  assert.equal((await store.getSession('s1', 'alice')).state, 'unknown');
});

test('a lock that cannot be released (store down) does not hide the renewed token', async () => {
  fake.handle((_, res) => sendJson(res, 200, { auth_token: 'new', refresh: 'r2' }));
  const store = await storeWith('r1');
  store.releaseRefreshLock = () => Promise.reject(new TaigaMcpError('STORE_UNAVAILABLE'));
  assert.equal(await refreshSession(store, hosts, opts, 's1', 'alice', 'Bearer old'), 'Bearer new');
});
