/**
 * The Taiga client's smaller promises, each held by a test that fails without it: what is sent
 * (user agent, API path, stream bodies, content types), what is never sent (a malformed token, a
 * request already cancelled), how each refusal reads, when a retry happens and how long it waits,
 * the log and metrics it reports, a private CA, and closing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { TaigaHttp, type TaigaHttpLogger, type TaigaHttpObserver } from '../../../core/taiga/http.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { makePki } from '../../helpers/certs.js';
import { startFakeTaiga, sendJson, sendText, type FakeTaiga } from './fake-taiga.js';

/** A hang (under a mutant, an exchange that never settles) fails its test in 20 s instead of holding a mutation run. */
const HANG = { timeout: 20_000 };

let fake: FakeTaiga;
before(async () => {
  fake = await startFakeTaiga();
});
after(() => fake.close());

/** A client on the fake with short retries, and what it logged and reported. */
function client(opts: Partial<ConstructorParameters<typeof TaigaHttp>[0]> = {}) {
  const debug: Record<string, unknown>[] = [];
  const warn: Record<string, unknown>[] = [];
  const attempts: { method: string; outcome: string | number; ms: number }[] = [];
  let retries = 0;
  const logger: TaigaHttpLogger = { debug: (o) => void debug.push(o as Record<string, unknown>), warn: (o) => void warn.push(o as Record<string, unknown>) };
  const observer: TaigaHttpObserver = { attempt: (method, outcome, ms) => void attempts.push({ method, outcome, ms }), retry: () => void (retries += 1) };
  const http = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 2000, retry: { baseDelayMs: 5, maxDelayMs: 20 }, logger, observer, ...opts });
  return { http, debug, warn, attempts, retries: () => retries };
}

const failure = async (promise: Promise<unknown>): Promise<TaigaMcpError> =>
  promise.then(
    () => assert.fail('it answered'),
    (e: unknown) => {
      assert.ok(e instanceof TaigaMcpError, String(e));
      return e;
    },
  );

test('without a user agent it says taiga-mcp; trailing slashes of the base URL are dropped', HANG, async () => {
  fake.received.length = 0;
  fake.handle((_, res) => sendJson(res, 200, []));
  const { http } = client({ baseUrl: `${fake.baseUrl}//` });
  try {
    await http.request({ method: 'GET', path: '/projects' });
    assert.equal(fake.received[0]?.url, '/api/v1/projects');
    assert.equal(fake.received[0]?.headers['user-agent'], 'taiga-mcp');
    assert.equal(fake.received[0]?.headers['content-type'], undefined, 'a GET without a body has no content type');
  } finally {
    await http.close();
  }
});

test('a stream body is sent as it is, with its own type and length, never as JSON', HANG, async () => {
  fake.received.length = 0;
  fake.handle((_, res) => sendJson(res, 201, { id: 1 }));
  const { http } = client();
  try {
    const bytes = '--b\r\ncontent\r\n--b--\r\n';
    await http.request({ method: 'POST', path: '/attachments', stream: { contentType: 'multipart/form-data; boundary=b', length: bytes.length, open: () => Readable.from([bytes]) } });
    const got = fake.received[0]!;
    assert.equal(got.body, bytes);
    assert.equal(got.headers['content-type'], 'multipart/form-data; boundary=b');
    assert.equal(got.headers['content-length'], String(bytes.length));
  } finally {
    await http.close();
  }
});

test('a malformed token is refused before anything is sent', HANG, async () => {
  fake.received.length = 0;
  const { http } = client();
  try {
    const err = await failure(http.request({ method: 'GET', path: '/users/me', authorization: 'Bearer two words' }));
    assert.equal(err.code, 'AUTH_FAILED');
    assert.equal(err.message, 'The session token is malformed.');
    assert.deepEqual(err.details, { taiga_code: 'token_not_valid' });
    assert.equal(fake.received.length, 0);
  } finally {
    await http.close();
  }
});

test('a closed client says so; closing twice is fine, and closing drops the kept-alive connections', HANG, async () => {
  // Its own server, which would keep an idle connection for a minute: only the client's close ends it.
  let closedSockets = 0;
  const server = createHttpServer((req, res) => {
    req.socket.once('close', () => (closedSockets += 1));
    sendJson(res, 200, []);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = new TaigaHttp({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`, timeoutMs: 2000 });
  try {
    await http.request({ method: 'GET', path: '/projects' });
    await http.close();
    await http.close();
    for (let i = 0; i < 100 && closedSockets === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(closedSockets, 1);
    const err = await failure(http.request({ method: 'GET', path: '/projects' }));
    assert.equal(err.code, 'INTERNAL');
    assert.equal(err.message, 'The Taiga HTTP client is closed.');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a request cancelled before it starts sends nothing and reports no attempt; so do login, refresh and ping', HANG, async () => {
  fake.received.length = 0;
  const { http, attempts } = client();
  try {
    const cancelled = AbortSignal.abort(new Error('the user cancelled'));
    for (const call of [
      () => http.request({ method: 'GET', path: '/projects', signal: cancelled }),
      () => http.login('someone', 'secret', cancelled),
      () => http.refresh('refresh-token', cancelled),
      () => http.ping(cancelled),
    ]) {
      assert.equal((await failure(call())).code, 'CANCELLED');
    }
    assert.equal(fake.received.length, 0);
    assert.deepEqual(attempts, []);
  } finally {
    await http.close();
  }
});

test('a cancel while waiting to retry ends the wait at once and is not retried', { timeout: 30_000 }, async () => {
  fake.received.length = 0;
  fake.handle((_, res) => sendJson(res, 503, {}));
  const { http, retries } = client({ retry: { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
  try {
    const caller = new AbortController();
    const pending = http.request({ method: 'GET', path: '/projects', signal: caller.signal });
    while (fake.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    setTimeout(() => caller.abort(new Error('stop')), 50);
    // Without the signal on the wait this would sit out a minute of backoff (the test's own timeout).
    assert.equal((await failure(pending)).code, 'CANCELLED');
    assert.equal(fake.received.length, 1);
    assert.equal(retries(), 1);
  } finally {
    await http.close();
  }
});

test('refresh: a refused token says to log in again; any other failure is passed on as it is', HANG, async () => {
  const { http } = client();
  try {
    fake.handle((_, res) => sendJson(res, 401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }));
    const refused = await failure(http.refresh('spent'));
    assert.equal(refused.code, 'AUTH_FAILED');
    assert.equal(refused.message, 'Taiga rejected the refresh token (invalid, expired or already used).');
    assert.equal(refused.hint, 'Call login again.');
    fake.handle((_, res) => sendText(res, 500, 'oops'));
    assert.equal((await failure(http.refresh('any'))).code, 'TAIGA_UNAVAILABLE');
  } finally {
    await http.close();
  }
});

test('too large and not JSON are final: neither is retried, and each says why', HANG, async () => {
  const { http, retries } = client({ maxResponseBytes: 10, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
  try {
    fake.received.length = 0;
    fake.handle((_, res) => sendJson(res, 200, { long: 'x'.repeat(100) }));
    const large = await failure(http.request({ method: 'GET', path: '/projects' }));
    assert.equal(large.code, 'TAIGA_UNAVAILABLE');
    assert.match(large.message, /larger than the 10 bytes/);
    assert.deepEqual(large.details, { status: 200, limit_bytes: 10 });
    assert.equal(fake.received.length, 1);

    fake.received.length = 0;
    fake.handle((_, res) => sendText(res, 200, 'nope'));
    const notJson = await failure(http.request({ method: 'GET', path: '/projects' }));
    assert.equal(notJson.message, 'Taiga answered with a body that is not JSON.');
    assert.deepEqual(notJson.details, { status: 200 });
    assert.equal(fake.received.length, 1);
    assert.equal(retries(), 0);
  } finally {
    await http.close();
  }
});

test('backoff is exponential with equal jitter and capped: attempt n waits between half and all of min(max, base·2ⁿ⁻¹)', HANG, async () => {
  fake.handle((_, res) => sendJson(res, 503, {}));
  const { http, debug } = client({ retry: { attempts: 8, baseDelayMs: 40, maxDelayMs: 100 } });
  try {
    await failure(http.request({ method: 'GET', path: '/projects' }));
    const waits = debug.filter((o) => 'retry_in_ms' in o).map((o) => o['retry_in_ms'] as number);
    assert.equal(waits.length, 7);
    const ceilings = [40, 80, 100, 100, 100, 100, 100];
    waits.forEach((wait, i) => assert.ok(wait >= ceilings[i]! / 2 && wait <= ceilings[i]!, `attempt ${i + 1} waited ${wait} ms, outside ${ceilings[i]! / 2}–${ceilings[i]}`));
    // The jitter spreads over the upper half (all seven within 2 ms of the floor: p < 1e-7).
    assert.ok(waits.some((wait, i) => wait > ceilings[i]! / 2 + 2), `no jitter in ${waits.join(', ')}`);
  } finally {
    await http.close();
  }
});

test('a throttle wait up to maxThrottleWaitMs is waited out (the wait may be in the message alone); past it, a warning and no retry', HANG, async () => {
  const { http, warn, debug } = client({ retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxThrottleWaitMs: 1000 } });
  try {
    let calls = 0;
    // Taiga's message truncates the wait ("%d"), so 0 s in the message is a wait of 1 s: exactly the limit.
    fake.handle((_, res) => (calls++ === 0 ? sendJson(res, 429, { detail: 'Request was throttled. Expected available in 0 seconds.' }) : sendJson(res, 200, [])));
    await http.request({ method: 'GET', path: '/projects' });
    assert.equal(calls, 2);
    assert.equal(debug.find((o) => 'retry_in_ms' in o)?.['retry_in_ms'], 1000);
    assert.deepEqual(warn, []);

    calls = 0;
    fake.handle((_, res) => void (calls++, sendJson(res, 429, {}, { 'x-throttle-wait-seconds': '2' })));
    assert.equal((await failure(http.request({ method: 'GET', path: '/projects' }))).code, 'RATE_LIMITED');
    assert.equal(calls, 1);
    assert.equal(warn.length, 1);
    assert.equal(warn[0]?.['wait_ms'], 2000);
  } finally {
    await http.close();
  }
});

test('each attempt is reported with its outcome and a duration in milliseconds; debug lines only when debug is on', HANG, async () => {
  fake.handle((_, res) => sendJson(res, 200, []));
  const quiet: Record<string, unknown>[] = [];
  const logger: TaigaHttpLogger & { isLevelEnabled: (level: string) => boolean } = { debug: (o) => void quiet.push(o as Record<string, unknown>), warn: () => {}, isLevelEnabled: (level) => level !== 'debug' };
  const { http, attempts } = client({ logger });
  try {
    const started = performance.now();
    await http.request({ method: 'GET', path: '/projects' });
    const elapsed = performance.now() - started;
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0]?.outcome, 200);
    assert.ok(attempts[0]!.ms >= 0 && attempts[0]!.ms <= elapsed + 1, `${attempts[0]!.ms} ms reported for a call of ${elapsed} ms`);
    assert.deepEqual(quiet, []);
  } finally {
    await http.close();
  }
});

test('a Taiga with a private CA is reached when the CA is configured, and refused without it', HANG, async () => {
  const pki = makePki();
  const cert = pki.server();
  const server = createServer({ cert: cert.cert, key: cert.key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const trusting = new TaigaHttp({ baseUrl, timeoutMs: 2000, ca: pki.ca.cert });
  const plain = new TaigaHttp({ baseUrl, timeoutMs: 2000, retry: { attempts: 1 } });
  try {
    assert.deepEqual((await trusting.request({ method: 'GET', path: '/projects' })).body, { ok: true });
    assert.equal((await failure(plain.request({ method: 'GET', path: '/projects' }))).code, 'TAIGA_UNAVAILABLE');
  } finally {
    await trusting.close();
    await plain.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('the defaults: a GET is tried three times; a client never used closes cleanly', HANG, async () => {
  fake.received.length = 0;
  fake.handle((_, res) => sendJson(res, 503, {}));
  const http = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 2000 });
  assert.equal((await failure(http.request({ method: 'GET', path: '/projects' }))).code, 'TAIGA_UNAVAILABLE');
  assert.equal(fake.received.length, 3);
  await http.close();
  await new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 2000 }).close();
});

test('maxListItems caps getAll', HANG, async () => {
  fake.handle((_, res) => sendJson(res, 200, [{ id: 1 }, { id: 2 }, { id: 3 }], { 'x-pagination-count': '3' }));
  const { http } = client({ maxListItems: 2 });
  try {
    const all = await http.getAll<{ id: number }>('/projects', undefined);
    assert.deepEqual(all.items.map((p) => p.id), [1, 2]);
    assert.equal(all.truncated, true);
  } finally {
    await http.close();
  }
});

test('a cancel during an attempt is not retried', HANG, async () => {
  fake.received.length = 0;
  const held: import('node:http').ServerResponse[] = [];
  fake.handle((_, res) => void held.push(res));
  const { http, retries } = client({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
  try {
    const caller = new AbortController();
    const pending = http.request({ method: 'GET', path: '/projects', signal: caller.signal });
    while (fake.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    caller.abort(new Error('stop'));
    assert.equal((await failure(pending)).code, 'CANCELLED');
    assert.equal(retries(), 0);
    assert.equal(fake.received.length, 1);
  } finally {
    for (const res of held) res.destroy();
    await http.close();
  }
});

test('a redirect (300 or 302: a login portal in front of Taiga) is an error, not an answer; a body of blanks is an empty answer', HANG, async () => {
  const { http } = client({ retry: { attempts: 1 } });
  try {
    for (const status of [300, 302]) {
      fake.handle((_, res) => sendJson(res, status, { moved: true }, { location: 'https://sso.example/login' }));
      assert.equal((await failure(http.request({ method: 'GET', path: '/projects' }))).code, 'TAIGA_UNAVAILABLE', String(status));
    }
    fake.handle((_, res) => sendText(res, 200, ' \n\t ', 'application/json'));
    assert.equal((await http.request({ method: 'GET', path: '/projects' })).body, null);
  } finally {
    await http.close();
  }
});
