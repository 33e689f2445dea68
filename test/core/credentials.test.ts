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

type Coded = Error & { code?: string; hint?: string; details?: Record<string, unknown> };
const HINT = "Tell the user to fix this server's Taiga credential in the MCP client's config.";
const LASTING = 'TAIGA_APPLICATION_TOKEN (lasts until revoked), or TAIGA_USERNAME and TAIGA_PASSWORD';
const rejects = async (p: Promise<unknown>): Promise<Coded> => p.then(() => assert.fail('resolved'), (e: Coded) => e);
const client = () => new TaigaHosts(config(), createLogger('silent')).client();

test('a rejected credential says which it was, how long it lasts and what to configure, in the words the agent reads', async () => {
  const http = client();
  const app = await rejects(new DefaultCredentials(http, { applicationToken: 'revoked-token' }).renew('Application revoked-token'));
  assert.deepEqual([app.code, app.message, app.details, app.hint], [
    'AUTH_FAILED',
    'Taiga rejected the configured application token (revoked, or not an application token). An application token lasts until it is revoked in Taiga.',
    { credential: 'application_token' },
    `${HINT} Configure ${LASTING}.`,
  ]);
  // A username without a password is no way to log in: the access token is all there is.
  const access = await rejects(new DefaultCredentials(http, { token: 'nope', username: 'admin' }).renew('Bearer nope'));
  assert.deepEqual([access.code, access.message, access.details, access.hint], [
    'AUTH_FAILED',
    'Taiga rejected the configured access token (expired: access tokens last 24 h). An access token lasts 24 h and cannot be renewed.',
    { credential: 'access_token' },
    `${HINT} Configure ${LASTING}, or TAIGA_REFRESH_TOKEN.`,
  ]);
  const refresh = await rejects(new DefaultCredentials(http, { refreshToken: 'not-a-refresh-token' }).current());
  assert.equal(refresh.code, 'AUTH_FAILED');
  assert.match(refresh.message, /^Taiga rejected the configured refresh token \(expired after 8 days unused, revoked, or already used elsewhere\)\. A refresh token lasts 8 days/);
  assert.deepEqual(refresh.details, { credential: 'refresh_token' });
  assert.equal(refresh.hint, `${HINT} For a setup that never needs renewing, configure ${LASTING}.`);
  const spent = await rejects(new DefaultCredentials(http, { token: 'nope', refreshToken: 'not-a-refresh-token' }).renew('Bearer nope'));
  assert.equal(spent.message, refresh.message, 'the refresh token is what ran out, not the access token');
  const nothing = await rejects(new DefaultCredentials(http, { username: 'admin' }).current());
  assert.deepEqual([nothing.code, nothing.message], ['AUTH_FAILED', 'No refresh token is available. No Taiga account is configured.']);
  assert.equal(DefaultCredentials.configured({ username: 'admin' }), false, 'a username alone is no account');
  assert.equal(DefaultCredentials.configured({ password: 'taigaadmin' }), false);
  assert.equal(DefaultCredentials.configured({ username: 'admin', password: 'taigaadmin' }), true);
  await http.close();
});

test('a rejected access token falls back to the refresh token; only a refused refresh token falls back to the password', async () => {
  const http = client();
  const login = await http.login('user2', '123123');
  const creds = new DefaultCredentials(http, { token: login.authToken, refreshToken: login.refreshToken }); // no file: kept in memory only
  const header = await creds.current();
  assert.equal(header, `Bearer ${login.authToken}`);
  const fresh = await creds.renew(header);
  assert.notEqual(fresh, header);
  assert.equal(count('/auth/refresh'), 1);
  assert.equal(await creds.renew('Bearer an-older-one'), fresh, 'renewed by someone else meanwhile: no second refresh');
  assert.equal(count('/auth/refresh'), 1);
  // Taiga fails otherwise than refusing: that error is said, no login, no "refresh token" blame.
  const both = new DefaultCredentials(http, { username: 'admin', password: 'taigaadmin' });
  const first = await both.current();
  const logins = count('/auth');
  emulator.knobs.failNext(1, { status: 403, match: /auth\/refresh/ });
  assert.equal((await rejects(both.renew(first))).code, 'PERMISSION_DENIED');
  assert.equal(count('/auth'), logins, 'not logged in again');
  const refreshOnly = new DefaultCredentials(http, { refreshToken: (await http.login('user2', '123123')).refreshToken });
  emulator.knobs.failNext(1, { status: 403, match: /auth\/refresh/ });
  assert.equal((await rejects(refreshOnly.current())).code, 'PERMISSION_DENIED');
  await http.close();
});

test('who the configured account is: asked once, and asked again after a renewal when Taiga refuses the token', async () => {
  const http = client();
  const password = new DefaultCredentials(http, { username: 'admin', password: 'taigaadmin' });
  assert.equal((await password.whoAmI(new AbortController().signal)).username, 'admin');
  assert.equal(count('/users/me'), 0, 'the login said who it is');
  const login = await http.login('user2', '123123');
  const creds = new DefaultCredentials(http, { token: login.authToken, refreshToken: login.refreshToken });
  emulator.knobs.failNext(1, { status: 401, match: /users\/me/ });
  assert.equal((await creds.whoAmI(new AbortController().signal)).username, 'user2');
  assert.deepEqual([count('/users/me'), count('/auth/refresh')], [2, 1]);
  assert.equal((await creds.whoAmI(new AbortController().signal)).username, 'user2');
  assert.equal(count('/users/me'), 2, 'asked once');
  const other = new DefaultCredentials(http, { token: (await http.login('user2', '123123')).authToken, refreshToken: login.refreshToken });
  emulator.knobs.failNext(1, { status: 403, match: /users\/me/ });
  assert.equal((await rejects(other.whoAmI(new AbortController().signal))).code, 'PERMISSION_DENIED');
  assert.equal(count('/auth/refresh'), 1, 'a refusal that is not about the token renews nothing');
  await http.close();
});
