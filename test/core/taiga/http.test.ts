import { test, before, after } from 'node:test';
import { getEventListeners } from 'node:events';
import assert from 'node:assert/strict';
import { TaigaHttp } from '../../../core/taiga/http.js';
import { TaigaSession } from '../../../core/sessions/taiga-session.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { startFakeTaiga, sendJson, sendText, fixture, type FakeTaiga } from './fake-taiga.js';

let fake: FakeTaiga;
let http: TaigaHttp;

before(async () => {
  fake = await startFakeTaiga();
  http = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 2000, retry: { baseDelayMs: 5, maxDelayMs: 20 }, userAgent: 'taiga-mcp-test' });
});
after(async () => {
  await http.close();
  await fake.close();
});

const isCode = (code: string) => (e: unknown) => e instanceof TaigaMcpError && e.code === code;

test('GET builds the URL under /api/v1 with a comma-list query and sends the bearer token', async () => {
  fake.received.length = 0;
  fake.handle((_, res) => sendJson(res, 200, { id: 1 }, { 'x-custom': 'yes' }));
  const response = await http.request<{ id: number }>({
    method: 'GET',
    path: '/userstories',
    query: { project: 1, status: [1, 2, 3], q: 'a b&c', milestone: undefined, epic: null, is_closed: false, tags: [] },
    authorization: 'Bearer tok123',
  });
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { id: 1 });
  assert.equal(response.headers['x-custom'], 'yes');
  const [req] = fake.received;
  assert.equal(req?.url, '/api/v1/userstories?project=1&status=1,2,3&q=a%20b%26c&is_closed=false');
  assert.equal(req?.headers['authorization'], 'Bearer tok123');
  assert.equal(req?.headers['accept'], 'application/json');
  assert.equal(req?.headers['user-agent'], 'taiga-mcp-test');
  assert.equal(req?.headers['x-disable-pagination'], undefined);
});

test('POST sends JSON with Content-Type; no token means no Authorization header', async () => {
  fake.received.length = 0;
  fake.handle((_, res) => sendJson(res, 201, { id: 7 }));
  const response = await http.request({ method: 'POST', path: '/userstories', body: { project: 1, subject: 'Hi' } });
  assert.equal(response.status, 201);
  const [req] = fake.received;
  assert.equal(req?.headers['content-type'], 'application/json');
  assert.equal(req?.headers['authorization'], undefined);
  assert.deepEqual(JSON.parse(req?.body ?? ''), { project: 1, subject: 'Hi' });
});

test('a caller header cannot add a second Authorization', async () => {
  fake.received.length = 0;
  fake.handle((_, res) => sendJson(res, 200, {}));
  await http.request({ method: 'GET', path: '/users/me', authorization: 'Bearer mine', headers: { Authorization: 'Bearer other', 'X-Session-Id': 's1' } });
  assert.equal(fake.received[0]?.headers['authorization'], 'Bearer mine');
  assert.equal(fake.received[0]?.headers['x-session-id'], 's1');
});

test('204 and empty 200 bodies become null', async () => {
  fake.handle((_, res) => {
    res.writeHead(204);
    res.end();
  });
  assert.equal((await http.request({ method: 'DELETE', path: '/userstories/1' })).body, null);
  fake.handle((_, res) => {
    res.writeHead(200); // Taiga's watch/upvote: empty body, no Content-Type
    res.end();
  });
  assert.equal((await http.request({ method: 'POST', path: '/userstories/1/watch' })).body, null);
});

test('a 2xx with a non-JSON body → TAIGA_UNAVAILABLE', async () => {
  fake.handle((_, res) => sendText(res, 200, '<html>login portal</html>'));
  await assert.rejects(http.request({ method: 'GET', path: '/projects' }), (e: unknown) => isCode('TAIGA_UNAVAILABLE')(e) && !(e as Error).message.includes('<html>'));
});

test('error answers go through the mapping (404 JSON, HTML 500)', async () => {
  const notFound = fixture('errors', 'get-unknown-userstory');
  fake.handle((_, res) => sendJson(res, notFound.status, notFound.body));
  await assert.rejects(http.request({ method: 'GET', path: '/userstories/99' }), (e: unknown) => isCode('NOT_FOUND')(e) && /User story 99/.test((e as Error).message));

  fake.handle((_, res) => sendText(res, 500, '<!doctype html><h1>Server Error (500)</h1>'));
  await assert.rejects(http.request({ method: 'POST', path: '/userstories', body: {} }), (e: unknown) => {
    assert.ok(e instanceof TaigaMcpError);
    assert.equal(e.code, 'TAIGA_UNAVAILABLE');
    assert.deepEqual(e.details, { status: 500 });
    assert.ok(!e.message.includes('<'));
    return true;
  });
});

test('invalid paths are our bug: INTERNAL, nothing sent', async () => {
  fake.received.length = 0;
  for (const path of ['userstories', '/userstories/', '/userstories?project=1', '/a/../b', '/a b']) {
    await assert.rejects(http.request({ method: 'GET', path }), isCode('INTERNAL'), path);
  }
  assert.equal(fake.received.length, 0);
});

test('ping GETs the API root with its trailing slash', async () => {
  fake.received.length = 0;
  const root = fixture('pagination', 'api-root');
  fake.handle((_, res) => sendJson(res, 200, root.body));
  await http.ping();
  assert.equal(fake.received[0]?.url, '/api/v1/');
  assert.equal(fake.received[0]?.method, 'GET');
});

test('a connection refused → TAIGA_UNAVAILABLE', async () => {
  const gone = await startFakeTaiga();
  const url = gone.baseUrl;
  await gone.close();
  const client = new TaigaHttp({ baseUrl: url, timeoutMs: 1000, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
  try {
    await assert.rejects(client.ping(), (e: unknown) => isCode('TAIGA_UNAVAILABLE')(e) && (e as TaigaMcpError).details?.['reason'] === 'ECONNREFUSED');
  } finally {
    await client.close();
  }
});

test('a closed client refuses requests', async () => {
  const client = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 1000 });
  await client.close();
  await assert.rejects(client.ping(), isCode('INTERNAL'));
});

test('an answer larger than maxResponseBytes is refused, not held in memory', async () => {
  const small = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 2000, maxResponseBytes: 1024, retry: { attempts: 1 } });
  try {
    fake.handle((_, res) => sendJson(res, 200, { blob: 'x'.repeat(5000) }));
    await assert.rejects(small.request({ method: 'GET', path: '/userstories/1' }), (e: unknown) => isCode('TAIGA_UNAVAILABLE')(e) && (e as TaigaMcpError).details?.['limit_bytes'] === 1024);
    fake.handle((_, res) => sendJson(res, 200, { ok: 'x'.repeat(900) }));
    assert.equal((await small.request<{ ok: string }>({ method: 'GET', path: '/userstories/1' })).body.ok.length, 900);
    const exactly = JSON.stringify({ ok: '' }).length;
    fake.handle((_, res) => sendJson(res, 200, { ok: 'x'.repeat(1024 - exactly) }));
    assert.equal((await small.request<{ ok: string }>({ method: 'GET', path: '/userstories/1' })).body.ok.length, 1024 - exactly, 'an answer of exactly the limit is accepted');
  } finally {
    await small.close();
  }
});

test("an exchange leaves no listener on the caller's signal, answered or timed out", async () => {
  const caller = new AbortController();
  fake.handle((_, res) => sendJson(res, 200, { ok: true }));
  await http.request({ method: 'GET', path: '/userstories/1', signal: caller.signal });
  assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
  const quick = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 100, retry: { attempts: 1 } });
  try {
    fake.handle(() => undefined);
    await assert.rejects(quick.request({ method: 'GET', path: '/userstories/1', signal: caller.signal }), isCode('TIMEOUT'));
    assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
  } finally {
    await quick.close();
  }
});

test('a request past its deadline is aborted: its connection is closed, not left waiting', async () => {
  const quick = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 100, retry: { attempts: 1 } });
  try {
    let closed: Promise<void> | undefined;
    fake.handle((_, __, raw) => {
      closed = new Promise((resolve) => raw.socket.once('close', () => resolve()));
    });
    await assert.rejects(quick.request({ method: 'POST', path: '/userstories', body: {} }), isCode('TIMEOUT'));
    const when = await Promise.race([closed!.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open'), 1000))]);
    assert.equal(when, 'closed');
  } finally {
    await quick.close();
  }
});

test('a header undici refuses to send is our bug (INTERNAL), and nothing is sent', async () => {
  fake.received.length = 0;
  await assert.rejects(http.request({ method: 'GET', path: '/userstories/1', headers: { 'x-bad': 'a\r\nb' } }), isCode('INTERNAL'));
  assert.equal(fake.received.length, 0);
});

test('text that cannot be encoded (a lone surrogate) is our bug, never "Taiga is down"; nothing is sent', async () => {
  fake.received.length = 0;
  await assert.rejects(http.request({ method: 'GET', path: '/projects/by_slug', query: { slug: 'ab\ud800' } }), (e: unknown) => isCode('INTERNAL')(e) && (e as Error).message === 'taiga-mcp built a request it cannot encode.');
  assert.equal(fake.received.length, 0);
});

test('a write that may have reached Taiga says so; one refused before connecting says nothing was written', async () => {
  const tokens = { current: async () => 'Bearer t', renew: async () => 'Bearer t' };
  const signal = new AbortController().signal;
  fake.handle((_, res) => res.socket?.destroy());
  const reset = new TaigaSession(http, tokens, signal);
  await assert.rejects(reset.post('/userstories', { subject: 'x' }), (e: unknown) => isCode('TAIGA_UNAVAILABLE')(e) && (e as TaigaMcpError).details?.['outcome_unknown'] === true);
  const gone = await startFakeTaiga();
  const url = gone.baseUrl;
  await gone.close();
  const refusedClient = new TaigaHttp({ baseUrl: url, timeoutMs: 1000 });
  try {
    const refused = new TaigaSession(refusedClient, tokens, signal);
    await assert.rejects(refused.post('/userstories', { subject: 'x' }), (e: unknown) => isCode('TAIGA_UNAVAILABLE')(e) && (e as TaigaMcpError).details?.['outcome_unknown'] === undefined);
  } finally {
    await refusedClient.close();
  }
});
