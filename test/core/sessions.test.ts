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
