import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { validateConfig } from '../../core/config/load.js';
import { createLogger } from '../../core/logger.js';
import { MemoryStore } from '../../core/sessions/memory-store.js';
import { SessionManager } from '../../core/sessions/manager.js';
import { TaigaHosts } from '../../core/taiga-hosts.js';
import { TaigaSession } from '../../core/sessions/taiga-session.js';
import { DefaultCredentials } from '../../core/sessions/default-credentials.js';
import { RefreshTokenFile } from '../../core/credentials/refresh-token-file.js';
import { credentialLifetime } from '../../core/credentials/lifetime.js';
import { jwtExpiry } from '../../core/credentials/authorization.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => emulator.close());
beforeEach(() => emulator.reset());

const config = (taiga: Record<string, unknown> = {}) => validateConfig({ taiga: { url: emulator.url, allowHttp: true, ...taiga } });
const count = (path: string) => emulator.requests.filter((r) => r.path === `/api/v1${path}`).length;

test('eight concurrent calls of one login session share one refresh: none loses its session', async () => {
  const cfg = config();
  const hosts = new TaigaHosts(cfg, createLogger('silent'));
  const sessions = new SessionManager(cfg, new MemoryStore(), hosts, createLogger('silent'));
  const { session_id } = await sessions.login({ username: 'user2', password: '123123', source: 's', principal: 'local', signal: new AbortController().signal });
  emulator.expireAccessTokens();
  const calls = Array.from({ length: 8 }, async () => {
    const caller = await sessions.authenticate(session_id, 'local', new AbortController().signal);
    return new TaigaSession(hosts.client(caller.apiUrl), caller.tokens, new AbortController().signal).get<{ username: string }>('/users/me');
  });
  const results = await Promise.allSettled(calls);
  assert.deepEqual(results.map((r) => r.status), Array(8).fill('fulfilled'), JSON.stringify(results.filter((r) => r.status === 'rejected')));
  assert.equal(count('/auth/refresh'), 1, 'Taiga denylists a refresh token on use: a second refresh with it would end the session');
  await hosts.close();
});

test('the configured account: concurrent first calls log in once, and a caller who cancels does not cancel it for the others', async () => {
  const http = new TaigaHosts(config(), createLogger('silent')).client();
  const creds = new DefaultCredentials(http, { username: 'admin', password: 'taigaadmin' });
  emulator.knobs.latencyMs = 150;
  const impatient = new AbortController();
  const first = creds.whoAmI(impatient.signal).catch((e: Error) => e);
  setTimeout(() => impatient.abort(), 20);
  const others = await Promise.all(Array.from({ length: 5 }, () => creds.whoAmI(new AbortController().signal)));
  emulator.knobs.latencyMs = 0;
  await first;
  assert.ok(others.every((me) => me.username === 'admin'));
  assert.equal(count('/auth'), 1);
  await http.close();
});

test('the configured account refreshes once for many callers, then logs in again when the refresh token is refused', async () => {
  const http = new TaigaHosts(config(), createLogger('silent')).client();
  const creds = new DefaultCredentials(http, { username: 'admin', password: 'taigaadmin' });
  const stale = await creds.current();
  const fresh = await Promise.all(Array.from({ length: 6 }, () => creds.renew(stale)));
  assert.equal(new Set(fresh).size, 1);
  assert.equal(count('/auth/refresh'), 1);
  emulator.knobs.failNext(1, { status: 401, match: /auth\/refresh/ }); // the refresh token is refused; the password is not
  const again = await creds.renew(fresh[0]!);
  assert.match(again, /^Bearer /);
  assert.equal(count('/auth'), 2, 'logged in again');
  await http.close();
});

test('an application token is never "renewed": its rejection says what to configure', async () => {
  const http = new TaigaHosts(config(), createLogger('silent')).client();
  const creds = new DefaultCredentials(http, { applicationToken: 'revoked-token' });
  assert.equal(await creds.current(), 'Bearer revoked-token'.replace('Bearer', 'Application'));
  await assert.rejects(creds.renew('Application revoked-token'), (e: Error & { code?: string; hint?: string }) => e.code === 'AUTH_FAILED' && /revoked/.test(e.message));
  await http.close();
});

test('a refresh token: the newest rotation is kept per configured token, so a restart goes on from it', async () => {
  const login = await new TaigaHosts(config(), createLogger('silent')).client().login('user2', '123123');
  const file = new RefreshTokenFile(join(mkdtempSync(join(tmpdir(), 'taiga-mcp-rtf-')), 'tokens.json'));
  const http = new TaigaHosts(config(), createLogger('silent')).client();
  const first = new DefaultCredentials(http, { refreshToken: login.refreshToken }, file);
  await first.current();
  const kept = file.newest(http.baseUrl, login.refreshToken);
  assert.ok(kept && kept !== login.refreshToken);
  const restarted = new DefaultCredentials(http, { refreshToken: login.refreshToken }, file);
  assert.match(await restarted.current(), /^Bearer /, 'the configured token is denylisted; the kept one works');
  assert.equal(file.newest(http.baseUrl, 'another-configured-token'), undefined);
  await http.close();
});

test('credential lifetimes: which kind wins, and what is said of it', () => {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const jwt = `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;
  assert.equal(jwtExpiry(jwt), exp * 1000);
  assert.equal(jwtExpiry('not-a-jwt'), undefined);
  assert.equal(credentialLifetime(config({ applicationToken: 'a', username: 'u', password: 'p' }).taiga).kind, 'application_token');
  assert.equal(credentialLifetime(config({ token: jwt, username: 'u', password: 'p' }).taiga).kind, 'password');
  const access = credentialLifetime(config({ token: jwt }).taiga);
  assert.equal(access.expiresAt, exp * 1000);
  assert.match(access.lasts, /in 1 h/);
  assert.match(String(access.advice), /TAIGA_APPLICATION_TOKEN/);
  assert.equal(credentialLifetime(config().taiga).kind, 'none');
});
