import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TaigaHttp } from '../../../core/taiga/http.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { startFakeTaiga, sendJson, sendText, type FakeTaiga, type Handler } from './fake-taiga.js';

let fake: FakeTaiga;
let http: TaigaHttp;

before(async () => {
  fake = await startFakeTaiga();
  http = new TaigaHttp({
    baseUrl: fake.baseUrl,
    timeoutMs: 300,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxThrottleWaitMs: 2000 },
  });
});
after(async () => {
  await http.close();
  await fake.close();
});

/** Runs the given handlers in order, one per request; the last one repeats. */
function script(...steps: Handler[]): void {
  fake.received.length = 0;
  let i = 0;
  fake.handle((req, res, raw) => {
    const step = steps[Math.min(i, steps.length - 1)]!;
    i += 1;
    step(req, res, raw);
  });
}

const ok: Handler = (_, res) => sendJson(res, 200, { ok: true });
const fail = (status: number): Handler => (_, res) => sendText(res, status, '<h1>oops</h1>');
const reset: Handler = (_, __, raw) => raw.socket.destroy();
const never: Handler = () => {};
const isCode = (code: string) => (e: unknown) => e instanceof TaigaMcpError && e.code === code;

test('GET is retried on 500 and 503, then succeeds', async () => {
  script(fail(500), fail(503), ok);
  const response = await http.request({ method: 'GET', path: '/userstories/1' });
  assert.deepEqual(response.body, { ok: true });
  assert.equal(fake.received.length, 3);
});

test('GET gives up after `attempts` with TAIGA_UNAVAILABLE', async () => {
  script(fail(502));
  await assert.rejects(http.request({ method: 'GET', path: '/userstories/1' }), isCode('TAIGA_UNAVAILABLE'));
  assert.equal(fake.received.length, 3);
});

test('GET is retried after a reset connection', async () => {
  script(reset, ok);
  const response = await http.request({ method: 'GET', path: '/userstories/1' });
  assert.deepEqual(response.body, { ok: true });
  assert.equal(fake.received.length, 2);
});

test('4xx answers are not retried', async () => {
  script((_, res) => sendJson(res, 404, { _error_message: '' }));
  await assert.rejects(http.request({ method: 'GET', path: '/projects/9' }), isCode('NOT_FOUND'));
  assert.equal(fake.received.length, 1);
});

for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
  test(`${method} is not retried on 500 (exactly one request)`, async () => {
    script(fail(500), ok);
    await assert.rejects(http.request({ method, path: '/userstories/1', body: { version: 1 } }), isCode('TAIGA_UNAVAILABLE'));
    assert.equal(fake.received.length, 1);
  });
}

test('POST is not retried after a reset connection', async () => {
  script(reset, ok);
  await assert.rejects(http.request({ method: 'POST', path: '/userstories', body: {} }), isCode('TAIGA_UNAVAILABLE'));
  assert.equal(fake.received.length, 1);
});

test('429 with X-Throttle-Wait-Seconds: 1 is waited out, then succeeds', async () => {
  script((_, res) => sendJson(res, 429, { _error_message: 'Request was throttled.Expected available in 0 seconds.' }, { 'x-throttle-wait-seconds': '1' }), ok);
  const started = Date.now();
  const response = await http.request({ method: 'GET', path: '/userstories' });
  const elapsed = Date.now() - started;
  assert.deepEqual(response.body, { ok: true });
  assert.equal(fake.received.length, 2);
  assert.ok(elapsed >= 950 && elapsed < 1800, `waited ${elapsed} ms`);
});

test('429 asking for more than maxThrottleWaitMs fails at once with RATE_LIMITED', async () => {
  script((_, res) => sendJson(res, 429, {}, { 'x-throttle-wait-seconds': '60' }), ok);
  const started = Date.now();
  await assert.rejects(http.request({ method: 'GET', path: '/userstories' }), (e: unknown) => {
    assert.ok(isCode('RATE_LIMITED')(e));
    assert.deepEqual((e as TaigaMcpError).details, { retry_after_seconds: 60, source: 'taiga' });
    return true;
  });
  assert.ok(Date.now() - started < 300);
  assert.equal(fake.received.length, 1);
});

test('429 on a write is not retried', async () => {
  script((_, res) => sendJson(res, 429, {}, { 'x-throttle-wait-seconds': '1' }), ok);
  await assert.rejects(http.request({ method: 'PATCH', path: '/userstories/1', body: {} }), isCode('RATE_LIMITED'));
  assert.equal(fake.received.length, 1);
});

test('a server that never answers → TIMEOUT within ~timeoutMs (POST, no retry)', async () => {
  script(never);
  const started = Date.now();
  await assert.rejects(http.request({ method: 'POST', path: '/userstories', body: {} }), (e: unknown) => {
    assert.ok(isCode('TIMEOUT')(e));
    assert.deepEqual((e as TaigaMcpError).details, { timeout_ms: 300 });
    return true;
  });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 280 && elapsed < 700, `took ${elapsed} ms`);
  assert.equal(fake.received.length, 1);
});

test('the deadline also covers a body that stalls after the headers', async () => {
  script((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('[{"id":');
  });
  await assert.rejects(http.request({ method: 'POST', path: '/userstories', body: {} }), isCode('TIMEOUT'));
});

test('the deadline runs while a request waits for a connection, and a request past it is never sent', async () => {
  const single = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 300, connections: 1, retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 20, maxThrottleWaitMs: 2000 } });
  try {
    script(never);
    const started = Date.now();
    const first = assert.rejects(single.request({ method: 'POST', path: '/userstories', body: {} }), isCode('TIMEOUT'));
    const queued = assert.rejects(single.request({ method: 'POST', path: '/tasks', body: {} }), isCode('TIMEOUT'));
    await Promise.all([first, queued]);
    assert.ok(Date.now() - started < 550, `both gave up at their own deadline, took ${Date.now() - started} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(fake.received.map((r) => r.url), ['/api/v1/userstories'], 'the queued write never reached Taiga');
  } finally {
    await single.close();
  }
});

test('a GET timeout is retried, each attempt with its own deadline', async () => {
  script(never, ok);
  const started = Date.now();
  const response = await http.request({ method: 'GET', path: '/userstories/1' });
  assert.deepEqual(response.body, { ok: true });
  assert.equal(fake.received.length, 2);
  assert.ok(Date.now() - started < 900);
});

test('a caller abort → CANCELLED, quickly and without retrying', async () => {
  script(never);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  await assert.rejects(http.request({ method: 'GET', path: '/userstories', signal: controller.signal }), (e: unknown) => {
    assert.ok(isCode('CANCELLED')(e));
    assert.match((e as Error).message, /cancelled/);
    return true;
  });
  assert.ok(Date.now() - started < 250);
  assert.equal(fake.received.length, 1);
});

test('an already-aborted signal sends nothing; an abort during backoff stops the retries', async () => {
  script(ok);
  await assert.rejects(http.request({ method: 'GET', path: '/x', signal: AbortSignal.abort() }), isCode('CANCELLED'));
  assert.equal(fake.received.length, 0);

  script((_, res) => sendJson(res, 429, {}, { 'x-throttle-wait-seconds': '1' }), ok);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  await assert.rejects(http.request({ method: 'GET', path: '/x', signal: controller.signal }), (e: unknown) => /cancelled/.test((e as Error).message));
  assert.ok(Date.now() - started < 500);
  assert.equal(fake.received.length, 1);
});
