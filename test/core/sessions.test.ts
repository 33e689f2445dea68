import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { validateConfig } from '../../core/config/load.js';
import { createLogger } from '../../core/logger.js';
import { MemoryStore } from '../../core/sessions/memory-store.js';
import { SessionManager } from '../../core/sessions/manager.js';
import { TaigaHosts } from '../../core/taiga-hosts.js';
import { TaigaSession } from '../../core/sessions/taiga-session.js';
import type { TaigaMcpError } from '../../core/errors.js';
import { createContainer } from 'awilix';
import { auth } from '../../core/pipeline/auth.js';
import { LOCAL_PRINCIPAL } from '../../core/principal.js';
import type { ToolCall } from '../../core/pipeline/types.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RefreshTokenFile } from '../../core/credentials/refresh-token-file.js';
import { createStore } from '../../core/sessions/create-store.js';
import { newSession } from './store-contract.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => emulator.close());
const code = (c: string) => (e: TaigaMcpError) => e.code === c;
const signal = new AbortController().signal;

function manager(over: Record<string, unknown> = {}, clock = { now: Date.now() }) {
  const config = validateConfig({ taiga: { url: emulator.url, allowHttp: true }, ...over });
  const hosts = new TaigaHosts(config, createLogger('silent'));
  const store = new MemoryStore({ now: () => clock.now });
  return { sessions: new SessionManager(config, store, hosts, createLogger('silent')), hosts, store, clock };
}

test('session ids are random UUIDs; the status has no token', async () => {
  const { sessions, hosts } = manager();
  const a = await sessions.login({ username: 'user1', password: '123123', source: 's', principal: 'local', signal });
  const b = await sessions.login({ username: 'user1', password: '123123', source: 's', principal: 'local', signal });
  assert.notEqual(a.session_id, b.session_id);
  assert.match(a.session_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  await hosts.close();
});

test('a rotated refresh token is written back, so the next refresh works too', async () => {
  const { sessions, hosts, store } = manager();
  const { session_id } = await sessions.login({ username: 'user2', password: '123123', source: 's', principal: 'local', signal });
  for (let round = 0; round < 2; round++) {
    emulator.expireAccessTokens();
    const caller = await sessions.authenticate(session_id, 'local', signal);
    const taiga = new TaigaSession(hosts.client(caller.apiUrl), caller.tokens, signal);
    assert.equal((await taiga.get<{ username: string }>('/users/me')).username, 'user2');
  }
  const found = await store.getSession(session_id, 'local');
  assert.equal(found.state, 'active');
  await hosts.close();
});

test('when Taiga refuses the refresh, the session becomes expired', async () => {
  const { sessions, hosts, store } = manager();
  const { session_id } = await sessions.login({ username: 'user2', password: '123123', source: 's', principal: 'local', signal });
  const found = await store.getSession(session_id, 'local');
  if (found.state !== 'active') throw new Error('not active');
  await store.updateTokens(session_id, found.record.refreshToken!, { authToken: found.record.authToken, refreshToken: 'not-a-valid-refresh-token' });
  emulator.expireAccessTokens();
  const caller = await sessions.authenticate(session_id, 'local', signal);
  const taiga = new TaigaSession(hosts.client(caller.apiUrl), caller.tokens, signal);
  await assert.rejects(taiga.get('/users/me'), code('SESSION_EXPIRED'));
  await assert.rejects(sessions.authenticate(session_id, 'local', signal), code('SESSION_EXPIRED'));
  await hosts.close();
});

test('clean-up sweeps expired sessions; they stay "expired", not "unknown"', async () => {
  const { sessions, hosts, store, clock } = manager({ sessions: { expirySeconds: 60 } });
  const { session_id } = await sessions.login({ username: 'user1', password: '123123', source: 's', principal: 'local', signal });
  clock.now += 61_000;
  assert.equal(await store.sweep(), 1);
  assert.equal(store.countSessions(), 0);
  await assert.rejects(sessions.status(session_id, 'local'), code('SESSION_EXPIRED'));
  await hosts.close();
});

test('the login lockout ends after its time', async () => {
  const { sessions, hosts, clock } = manager({ rateLimits: { loginPerMinute: 1, loginLockoutMinutes: 1 } });
  await sessions.login({ username: 'user1', password: '123123', source: 'ip-1', principal: 'local', signal });
  await assert.rejects(sessions.login({ username: 'user1', password: '123123', source: 'ip-1', principal: 'local', signal }), code('RATE_LIMITED'));
  await sessions.login({ username: 'user1', password: '123123', source: 'ip-2', principal: 'local', signal });
  clock.now += 61_000;
  await sessions.login({ username: 'user1', password: '123123', source: 'ip-1', principal: 'local', signal });
  await hosts.close();
});

test('a configured token is the default session; a rejected one says so', async () => {
  const token = (await new TaigaHosts(validateConfig({ taiga: { url: emulator.url, allowHttp: true } }), createLogger('silent')).client().login('admin', 'taigaadmin')).authToken;
  const ok = manager({ taiga: { url: emulator.url, allowHttp: true, token } });
  const caller = await ok.sessions.authenticate(undefined, 'local', signal);
  assert.deepEqual([caller.view.username, caller.view.isDefault, caller.view.id], ['admin', true, 'default']);
  await ok.hosts.close();
  const bad = manager({ taiga: { url: emulator.url, allowHttp: true, token: 'nope.nope.nope' } });
  await assert.rejects(bad.sessions.authenticate(undefined, 'local', signal), code('AUTH_FAILED'));
  await bad.hosts.close();
});

test('login refuses hosts that are not configured, before connecting', async () => {
  const { sessions, hosts } = manager({ taiga: { url: emulator.url, allowHttp: true, allowedHosts: ['https://other.example.com'] } });
  const before = emulator.requests.length;
  await assert.rejects(sessions.login({ username: 'a', password: 'b', host: 'https://evil.example.com', source: 's', principal: 'local', signal }), code('HOST_NOT_ALLOWED'));
  await assert.rejects(sessions.login({ username: 'a', password: 'b', host: 'not a url', source: 's', principal: 'local', signal }), code('HOST_NOT_ALLOWED'));
  assert.equal(emulator.requests.length, before);
  assert.equal(hosts.resolve('https://other.example.com/api/v1/'), 'https://other.example.com/api/v1');
  await hosts.close();
});

test('the auth stage: the principal is the one the transport named; a call without one fails closed, stdio included', async () => {
  const token = (await new TaigaHosts(validateConfig({ taiga: { url: emulator.url, allowHttp: true } }), createLogger('silent')).client().login('admin', 'taigaadmin')).authToken;
  const { sessions, hosts } = manager({ taiga: { url: emulator.url, allowHttp: true, token } });
  const stage = auth({ sessions, hosts });
  const call = (over: Partial<ToolCall>, authKind = 'none') => ({ tool: { name: 't', auth: authKind }, rawArgs: {}, scope: createContainer(), signal, source: 'stdio', ...over }) as unknown as ToolCall;
  const principalOf = async (c: ToolCall) => {
    await stage(c, async () => undefined);
    return c.scope.resolve<string>('principal');
  };
  assert.equal(await principalOf(call({ principal: LOCAL_PRINCIPAL })), 'local');
  assert.equal(await principalOf(call({ source: '198.51.100.7', principal: 'key:ops' })), 'key:ops');
  await assert.rejects(stage(call({ source: '198.51.100.7' }), async () => undefined), code('INTERNAL'));
  await assert.rejects(stage(call({ principal: '' }), async () => undefined), code('INTERNAL'));
  await assert.rejects(stage(call({}), async () => undefined), code('INTERNAL'), 'no "local" by default: serve-stdio names it');
  const [a, b] = [call({ source: 'h', principal: 'a' }, 'session'), call({ source: 'h', principal: 'b' }, 'session')];
  await stage(a, async () => undefined);
  await stage(b, async () => undefined);
  assert.notEqual(a.rateKey, b.rateKey, "one principal's calls do not spend another's budget");
  await hosts.close();
});

const failure = (p: Promise<unknown>): Promise<TaigaMcpError> => p.then(() => assert.fail('resolved'), (e: TaigaMcpError) => e);

/** A memory store that counts its sweeps (and can fail them) and records the refresh lock's lifetime. */
class WatchedStore extends MemoryStore {
  sweeps = 0;
  failing = false;
  lockTtls: number[] = [];
  override async sweep(): Promise<number> {
    this.sweeps++;
    if (this.failing) throw new Error('store down');
    return super.sweep();
  }
  override async acquireRefreshLock(id: string, ttlMs: number): Promise<string | undefined> {
    this.lockTtls.push(ttlMs);
    return super.acquireRefreshLock(id, ttlMs);
  }
}

function watched(over: Record<string, unknown> = {}) {
  const lines: Array<{ level: string; msg: string; dropped?: number }> = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const config = validateConfig({ taiga: { url: emulator.url, allowHttp: true }, ...over });
  const hosts = new TaigaHosts(config, createLogger('silent'));
  const clock = { now: Date.now() };
  const store = new WatchedStore({ now: () => clock.now });
  return { sessions: new SessionManager(config, store, hosts, logger), hosts, store, clock, lines };
}

test('clean-up runs every cleanupIntervalSeconds, logs what it dropped (only when it dropped some) or that it failed, and stops', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const { sessions, hosts, store, clock, lines } = watched({ sessions: { expirySeconds: 60, cleanupIntervalSeconds: 10 } });
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  const cleanups = () => lines.filter((l) => /clean/.test(l.msg)).map((l) => [l.level, l.msg, l.dropped]);
  await sessions.login({ username: 'user1', password: '123123', source: 's', principal: 'local', signal });
  sessions.startCleanup();
  t.mock.timers.tick(9_999);
  await settled();
  assert.equal(store.sweeps, 0);
  t.mock.timers.tick(1);
  await settled();
  assert.equal(store.sweeps, 1);
  assert.deepEqual(cleanups(), [], 'nothing dropped, nothing said');
  clock.now += 61_000;
  t.mock.timers.tick(10_000);
  await settled();
  assert.deepEqual(cleanups(), [['info', 'expired sessions cleaned up', 1]]);
  store.failing = true;
  t.mock.timers.tick(10_000);
  await settled();
  assert.deepEqual(cleanups().at(-1), ['error', 'session clean-up failed', undefined]);
  sessions.stopCleanup();
  t.mock.timers.tick(30_000);
  await settled();
  assert.equal(store.sweeps, 3);
  await hosts.close();
});

test("a login session's refresh holds its lock 5 s longer than one Taiga request may take", async () => {
  const { sessions, hosts, store } = watched({ taiga: { url: emulator.url, allowHttp: true, requestTimeoutSeconds: 7 } });
  const { session_id } = await sessions.login({ username: 'user2', password: '123123', source: 's', principal: 'local', signal });
  emulator.expireAccessTokens();
  const caller = await sessions.authenticate(session_id, 'local', signal);
  await new TaigaSession(hosts.client(caller.apiUrl), caller.tokens, signal).get('/users/me');
  assert.deepEqual(store.lockTtls, [12_000]);
  await hosts.close();
});

test("a login session's view, and logout says whether the session was still active", async () => {
  const { sessions, hosts, clock } = manager({ sessions: { expirySeconds: 60 } });
  const first = await sessions.login({ username: 'user1', password: '123123', source: 's', principal: 'local', signal });
  const caller = await sessions.authenticate(first.session_id, 'local', signal);
  assert.deepEqual(caller.view, { id: `${first.session_id.slice(0, 8)}…`, username: 'user1', userId: first.user_id, apiUrl: `${emulator.url}/api/v1`, isDefault: false });
  assert.equal(await sessions.logout(first.session_id, 'local'), true);
  const second = await sessions.login({ username: 'user1', password: '123123', source: 's', principal: 'local', signal });
  clock.now += 61_000;
  assert.equal(await sessions.logout(second.session_id, 'local'), false);
  await hosts.close();
});

test('no account and no session: a local user is told what to configure; an HTTP principal, what its operator can do', async () => {
  const { sessions, hosts } = manager();
  const local = await failure(sessions.authenticate(undefined, LOCAL_PRINCIPAL, signal));
  assert.deepEqual([local.code, local.message], ['AUTH_REQUIRED', 'No Taiga account is configured for this server.']);
  const principal = `key:${'x'.repeat(100)}`;
  const remote = await failure(sessions.authenticate(undefined, principal, signal));
  assert.deepEqual([remote.code, remote.message, remote.hint], [
    'AUTH_REQUIRED',
    `No Taiga account is configured for ${principal.slice(0, 80)}, and no session_id was given.`,
    'Use the session_id of a login session, or ask the operator of this server to give this principal a Taiga account (http.auth.apiKeys[].taiga). Never ask for a password in the chat.',
  ]);
  await hosts.close();
});

test('a configured refresh token keeps its rotations in the configured refresh-token file', async () => {
  const refreshToken = (await new TaigaHosts(validateConfig({ taiga: { url: emulator.url, allowHttp: true } }), createLogger('silent')).client().login('user2', '123123')).refreshToken;
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-rtf-'));
  const saved = process.env['XDG_STATE_HOME'];
  process.env['XDG_STATE_HOME'] = join(dir, 'state'); // where the default file would go
  try {
    const refreshTokenFile = join(dir, 'tokens.json');
    const { sessions, hosts } = manager({ taiga: { url: emulator.url, allowHttp: true, refreshToken, refreshTokenFile } });
    assert.equal((await sessions.authenticate(undefined, LOCAL_PRINCIPAL, signal)).view.username, 'user2');
    assert.ok(new RefreshTokenFile(refreshTokenFile).newest(`${emulator.url}/api/v1`, refreshToken));
    await hosts.close();
  } finally {
    if (saved === undefined) delete process.env['XDG_STATE_HOME'];
    else process.env['XDG_STATE_HOME'] = saved;
  }
});

test('a login lockout says until when, and how many whole seconds are left (rounded up)', async () => {
  const { sessions, hosts, clock } = manager({ rateLimits: { loginPerMinute: 1, loginLockoutMinutes: 1 } }, { now: Date.UTC(2026, 0, 2, 3, 4, 5) });
  const attempt = () => failure(sessions.login({ username: 'user1', password: '123123', source: 'ip-9', principal: 'local', signal }));
  await sessions.login({ username: 'user1', password: '123123', source: 'ip-9', principal: 'local', signal });
  const locked = await attempt();
  assert.deepEqual([locked.code, locked.message, locked.details], [
    'RATE_LIMITED',
    'Too many login attempts; locked until 2026-01-02T03:05:05.000Z.',
    { retry_after_seconds: 60, retry_at: '2026-01-02T03:05:05.000Z', source: 'login' },
  ]);
  clock.now += 1_700; // 58.3 s left
  assert.equal((await attempt()).details?.['retry_after_seconds'], 59);
  await hosts.close();
});

test('the memory store keeps at most sessions.maxSessions sessions', async () => {
  const store = await createStore(validateConfig({ sessions: { maxSessions: 2 } }), createLogger('silent'));
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await store.createSession(newSession(), { ttlMs: 600_000, maxPerUser: 5 })).record.id);
  assert.deepEqual(await Promise.all(ids.map(async (id) => (await store.getSession(id, 'alice')).state)), ['unknown', 'active', 'active']);
  await store.close();
});
