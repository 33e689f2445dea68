import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TaigaHttp } from '../../../core/taiga/http.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { startFakeTaiga, sendJson, sendText, fixture, type FakeTaiga } from './fake-taiga.js';

const ACCESS = 'eyJhbGciOiJIUzI1NiJ9.ACCESS-secret-payload.sig1';
const REFRESH = 'eyJhbGciOiJIUzI1NiJ9.REFRESH-secret-payload.sig2';
const PASSWORD = 'pa55-word-never-logged';

let fake: FakeTaiga;
let http: TaigaHttp;
const logged: unknown[] = [];
const capture = (obj: object, msg?: string): void => {
  logged.push({ obj, msg });
};

before(async () => {
  fake = await startFakeTaiga();
  http = new TaigaHttp({
    baseUrl: fake.baseUrl,
    timeoutMs: 1000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    logger: { debug: capture, warn: capture },
  });
});
after(async () => {
  await http.close();
  await fake.close();
});

const loginOk = (): void => {
  const recorded = fixture('auth', 'login-ok');
  fake.handle((_, res) => sendJson(res, 200, { ...(recorded.body as object), auth_token: ACCESS, refresh: REFRESH }));
};

test('login posts {type: normal, username, password} and maps the answer', async () => {
  fake.received.length = 0;
  loginOk();
  const result = await http.login('admin', PASSWORD);
  assert.deepEqual(result, {
    authToken: ACCESS,
    refreshToken: REFRESH,
    user: { id: 5, username: 'admin', fullName: 'Administrator', email: 'admin@example.com' },
  });
  const [req] = fake.received;
  assert.equal(req?.method, 'POST');
  assert.equal(req?.url, '/api/v1/auth');
  assert.deepEqual(JSON.parse(req?.body ?? ''), { type: 'normal', username: 'admin', password: PASSWORD });
  assert.equal(req?.headers['authorization'], undefined);
});

test('login 401 → AUTH_FAILED "Taiga rejected the username or password"', async () => {
  const recorded = fixture('auth', 'login-wrong-password');
  fake.handle((_, res) => sendJson(res, recorded.status, recorded.body, { 'www-authenticate': 'Bearer realm="api"' }));
  await assert.rejects(http.login('admin', PASSWORD), (e: unknown) => {
    assert.ok(e instanceof TaigaMcpError);
    assert.equal(e.code, 'AUTH_FAILED');
    assert.match(e.message, /Taiga rejected the username or password/);
    assert.deepEqual(e.details, { taiga_code: 'invalid_credentials' });
    return true;
  });
});

test('login 400 field errors → TAIGA_REJECTED; login 500 is not retried', async () => {
  const recorded = fixture('auth', 'login-missing-username-password');
  fake.handle((_, res) => sendJson(res, recorded.status, recorded.body));
  await assert.rejects(http.login('', ''), (e: unknown) => e instanceof TaigaMcpError && e.code === 'TAIGA_REJECTED');

  fake.received.length = 0;
  fake.handle((_, res) => sendText(res, 500, '<h1>Server Error</h1>'));
  await assert.rejects(http.login('admin', PASSWORD), (e: unknown) => e instanceof TaigaMcpError && e.code === 'TAIGA_UNAVAILABLE');
  assert.equal(fake.received.length, 1);
});

test('a login answer without a refresh token (Taiga < 6) → TAIGA_UNAVAILABLE', async () => {
  fake.handle((_, res) => sendJson(res, 200, { id: 5, username: 'admin', full_name: 'A', auth_token: ACCESS }));
  await assert.rejects(http.login('admin', PASSWORD), (e: unknown) => e instanceof TaigaMcpError && e.code === 'TAIGA_UNAVAILABLE' && /refresh/.test(e.message));
});

test('refresh posts {refresh} and returns the rotated pair', async () => {
  fake.received.length = 0;
  fake.handle((_, res) => sendJson(res, 200, { auth_token: `${ACCESS}-2`, refresh: `${REFRESH}-2` }));
  assert.deepEqual(await http.refresh(REFRESH), { authToken: `${ACCESS}-2`, refreshToken: `${REFRESH}-2` });
  assert.equal(fake.received[0]?.url, '/api/v1/auth/refresh');
  assert.deepEqual(JSON.parse(fake.received[0]?.body ?? ''), { refresh: REFRESH });
});

test('refresh 401 → AUTH_FAILED with taiga_code token_not_valid', async () => {
  const recorded = fixture('auth', 'refresh-reused');
  fake.handle((_, res) => sendJson(res, recorded.status, recorded.body));
  await assert.rejects(http.refresh(REFRESH), (e: unknown) => {
    assert.ok(e instanceof TaigaMcpError);
    assert.equal(e.code, 'AUTH_FAILED');
    assert.deepEqual(e.details, { taiga_code: 'token_not_valid' });
    return true;
  });
});

test('a request with a token whose answer is 401 token_not_valid → AUTH_FAILED for the session layer', async () => {
  const recorded = fixture('auth', 'users-me-invalid-token');
  fake.handle((_, res) => sendJson(res, recorded.status, recorded.body));
  await assert.rejects(http.request({ method: 'GET', path: '/users/me', authorization: `Bearer ${ACCESS}` }), (e: unknown) => e instanceof TaigaMcpError && e.details?.['taiga_code'] === 'token_not_valid');
});

test('log lines: one per request with method, path, status, ms, attempt; never a token, password or query value', async () => {
  logged.length = 0;
  fake.handle((_, res) => sendJson(res, 200, []));
  await http.request({ method: 'GET', path: '/userstories', query: { project: 1, q: 'private-search-text' }, authorization: `Bearer ${ACCESS}` });
  await http.request({ method: 'GET', path: `/invitations/${'a1b2c3d4'.repeat(5)}` });
  loginOk();
  await http.login('admin', PASSWORD);
  fake.handle((_, res) => sendJson(res, 200, { auth_token: ACCESS, refresh: REFRESH }));
  await http.refresh(REFRESH);
  fake.handle((_, res) => sendJson(res, 401, { detail: 'bad', code: 'token_not_valid' }));
  await assert.rejects(http.request({ method: 'GET', path: '/users/me', authorization: `Bearer ${ACCESS}` }));

  assert.equal(logged.length, 5);
  const first = logged[0] as { obj: Record<string, unknown> };
  assert.equal(first.obj['method'], 'GET');
  assert.equal(first.obj['path'], '/userstories?project&q');
  assert.equal(first.obj['status'], 200);
  assert.equal(first.obj['attempt'], 1);
  assert.equal(typeof first.obj['ms'], 'number');

  const text = JSON.stringify(logged);
  for (const secret of [ACCESS, REFRESH, PASSWORD, 'ACCESS-secret', 'REFRESH-secret', 'private-search-text', 'a1b2c3d4a1b2']) {
    assert.ok(!text.includes(secret), `log contains ${secret}`);
  }
});
