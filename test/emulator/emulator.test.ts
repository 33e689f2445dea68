// Tests of the fault knobs, token expiry, the request log and the history accessor.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type Emulator } from './index.js';

let emu: Emulator;
before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

async function login(username = 'admin', password = 'taigaadmin'): Promise<{ auth_token: string; refresh: string }> {
  const res = await fetch(`${emu.apiUrl}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'normal', username, password }),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { auth_token: string; refresh: string };
}

const get = (path: string, token?: string, signal?: AbortSignal) =>
  fetch(`${emu.apiUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal });

test('failNext answers 500 with the JSON-in-text/html body, then recovers', async () => {
  emu.knobs.failNext(1);
  const res = await get('/projects');
  assert.equal(res.status, 500);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.deepEqual(JSON.parse(await res.text()), { error: 'Server application error' });
  assert.equal((await get('/projects')).status, 200);
});

test('failNext honours status, html and match', async () => {
  emu.knobs.failNext(1, { status: 503, html: true, match: /\/userstories\?/ });
  assert.equal((await get('/projects')).status, 200);
  const res = await get('/userstories?project=1');
  assert.equal(res.status, 503);
  assert.match(await res.text(), /Server Error \(500\)/);
});

test('resetNext destroys the socket', async () => {
  emu.knobs.resetNext(1);
  await assert.rejects(get('/projects'));
  assert.equal((await get('/projects')).status, 200);
});

test('hangNext never answers; the client times out', async () => {
  emu.knobs.hangNext(1);
  await assert.rejects(get('/projects', undefined, AbortSignal.timeout(200)), /abort|timeout/i);
  assert.equal((await get('/projects')).status, 200);
});

test('throttleNext answers 429 with X-Throttle-Wait-Seconds and the Taiga message', async () => {
  emu.knobs.throttleNext(2, 7);
  for (let i = 0; i < 2; i++) {
    const res = await get('/projects');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('x-throttle-wait-seconds'), '7');
    assert.equal(res.headers.get('retry-after'), null);
    assert.deepEqual(await res.json(), {
      _error_message: 'Request was throttled.Expected available in 7 seconds.',
      _error_type: 'taiga.base.exceptions.Throttled',
    });
  }
  assert.equal((await get('/projects')).status, 200);
});

test('a fault with a method leaves the other methods of the same path alone', async () => {
  const { auth_token } = await login();
  emu.knobs.failNext(1, { method: 'PATCH', match: /\/userstories\/1$/ });
  assert.equal((await get('/userstories/1', auth_token)).status, 200);
  const patch = await fetch(`${emu.apiUrl}/userstories/1`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${auth_token}` },
    body: JSON.stringify({ subject: 'x', version: 1 }),
  });
  assert.equal(patch.status, 500);
});

/** A write whose answer the fault spoils: it is applied all the same. */
async function patchSubject(token: string, subject: string, signal?: AbortSignal): Promise<Response> {
  const story = (await (await get('/userstories/1', token)).json()) as { version: number };
  return fetch(`${emu.apiUrl}/userstories/1`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ subject, version: story.version }),
    signal,
  });
}
const subjectOf = async (token: string) => ((await (await get('/userstories/1', token)).json()) as { subject: string }).subject;

test('resetAfterBodyNext applies the request, sends part of the body, then drops the connection', async () => {
  const { auth_token } = await login();
  emu.knobs.resetAfterBodyNext(1, { method: 'PATCH', bytes: 10 });
  const res = await patchSubject(auth_token, 'applied, then reset');
  assert.equal(res.status, 200, 'the headers arrive');
  await assert.rejects(res.text(), 'the body is cut');
  assert.equal(await subjectOf(auth_token), 'applied, then reset');
  emu.knobs.resetAfterBodyNext(1, { method: 'DELETE' });
  await assert.rejects(fetch(`${emu.apiUrl}/userstories/1`, { method: 'DELETE', headers: { authorization: `Bearer ${auth_token}` } }), 'no body: the connection drops before the answer');
  assert.equal((await get('/userstories/1', auth_token)).status, 404, 'and the delete was applied');
});

test('slowBodyNext applies the request and sends the headers at once; the body trickles', async () => {
  const { auth_token } = await login();
  emu.knobs.slowBodyNext(1, { method: 'PATCH', tickMs: 50 });
  const controller = new AbortController();
  const res = await patchSubject(auth_token, 'slow', controller.signal);
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.equal(first.value?.length, 1, 'one byte at a time');
  controller.abort();
  await assert.rejects(reader.read());
  assert.equal(await subjectOf(auth_token), 'slow');
  emu.knobs.slowBodyNext(1, { tickMs: 1, match: /^\/nowhere/ });
  assert.match(await (await fetch(`${emu.url}/nowhere`)).text(), /<h1>Not Found<\/h1>/, 'left alone, the body completes');
});

test('latencyMs delays every response; clear() resets it and pending faults', async () => {
  emu.knobs.latencyMs = 150;
  const start = Date.now();
  await get('/projects');
  assert.ok(Date.now() - start >= 140);
  emu.knobs.failNext(5);
  emu.knobs.clear();
  assert.equal(emu.knobs.latencyMs, 0);
  assert.equal((await get('/projects')).status, 200);
});

test('expireAccessTokens makes old access tokens 401 until a refresh', async () => {
  const { auth_token, refresh } = await login();
  assert.equal((await get('/users/me', auth_token)).status, 200);
  emu.expireAccessTokens();
  const expired = await get('/users/me', auth_token);
  assert.equal(expired.status, 401);
  assert.equal(((await expired.json()) as { code: string }).code, 'token_not_valid');
  const res = await fetch(`${emu.apiUrl}/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh }),
  });
  const fresh = (await res.json()) as { auth_token: string };
  assert.equal((await get('/users/me', fresh.auth_token)).status, 200);
});

test('refresh rotates: the old refresh token is denylisted', async () => {
  const { refresh } = await login();
  const post = (token: string) =>
    fetch(`${emu.apiUrl}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh: token }) });
  assert.equal((await post(refresh)).status, 200);
  assert.equal((await post(refresh)).status, 401);
});

test('requests and writes() record what reached the server', async () => {
  const { auth_token } = await login();
  await get('/projects?page_size=2', auth_token);
  await fetch(`${emu.apiUrl}/userstories`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${auth_token}` },
    body: JSON.stringify({ project: 1, subject: 'From the test' }),
  });
  emu.knobs.failNext(1);
  await fetch(`${emu.apiUrl}/userstories/1`, { method: 'DELETE', headers: { authorization: `Bearer ${auth_token}` } });
  assert.equal(emu.requests.length, 4);
  assert.deepEqual(emu.requests[1], {
    method: 'GET', path: '/api/v1/projects', query: { page_size: '2' }, body: null, authorized: true, status: 200,
  });
  const writes = emu.writes();
  assert.deepEqual(writes.map((w) => [w.method, w.path, w.status]), [
    ['POST', '/api/v1/userstories', 201],
    ['DELETE', '/api/v1/userstories/1', 500],
  ]);
  assert.deepEqual(writes[0]!.body, { project: 1, subject: 'From the test' });
});

test('reset() restores the seed and clears tokens and requests', async () => {
  const { auth_token } = await login();
  await fetch(`${emu.apiUrl}/userstories/1`, { method: 'DELETE', headers: { authorization: `Bearer ${auth_token}` } });
  emu.reset();
  assert.equal(emu.requests.length, 0);
  const fresh = await login();
  assert.equal((await get('/userstories/1', fresh.auth_token)).status, 200);
});

test('history() gives the entries of an object, oldest first, with the diff of each write', async () => {
  const { auth_token } = await login();
  const before = emu.history('userstory', 1).length;
  assert.equal((await patchSubject(auth_token, 'first')).status, 200);
  assert.equal((await patchSubject(auth_token, 'second')).status, 200);
  const added = emu.history('userstory', 1).slice(before);
  assert.deepEqual(added.map((e) => e.diff['subject']?.[1]), ['first', 'second']);
  assert.equal(added[1]!.diff['subject']?.[0], 'first');
});
