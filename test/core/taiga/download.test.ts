import { test, before, after } from 'node:test';
import { getEventListeners } from 'node:events';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { TaigaHttp } from '../../../core/taiga/http.js';
import { download } from '../../../core/taiga/download.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { startFakeTaiga, type FakeTaiga } from './fake-taiga.js';

let fake: FakeTaiga;
let http: TaigaHttp;
before(async () => {
  fake = await startFakeTaiga();
  http = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 2000, retry: { attempts: 1 } });
});
after(async () => {
  await http.close();
  await fake.close();
});

const fileUrl = () => `${fake.baseUrl.replace(/\/api\/v1$/, '')}/media/a.txt`;
const isCode = (code: string) => (e: unknown) => e instanceof TaigaMcpError && e.code === code;
/** A sink that keeps what it is given. */
function memory(): { sink: Writable; data(): Buffer } {
  const chunks: Buffer[] = [];
  return { sink: new Writable({ write: (c: Buffer, _e, done) => void (chunks.push(c), done()) }), data: () => Buffer.concat(chunks) };
}

test('a download sends who it is, gives the type, and leaves no listener on the caller\'s signal', async () => {
  fake.handle((_, res) => res.writeHead(200, { 'content-type': ['text/plain', 'text/html'] }).end('hello'));
  const caller = new AbortController();
  const { sink, data } = memory();
  const got = await download(http, fileUrl(), sink, { timeoutMs: 2000, maxBytes: 5, signal: caller.signal, authorization: 'Bearer t' });
  assert.deepEqual(got, { contentType: 'text/plain', bytes: 5 });
  assert.equal(data().toString(), 'hello');
  assert.equal(fake.received.at(-1)?.headers['user-agent'], 'taiga-mcp');
  assert.equal(fake.received.at(-1)?.headers['authorization'], 'Bearer t', 'the API\'s own origin');
  assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
  // The same server named another way is another origin: the token stays with Taiga's own.
  await download(http, fileUrl().replace('127.0.0.1', 'localhost'), memory().sink, { timeoutMs: 2000, maxBytes: 5, authorization: 'Bearer t' });
  assert.equal(fake.received.at(-1)?.headers['user-agent'], 'taiga-mcp');
  assert.equal(fake.received.at(-1)?.headers['authorization'], undefined, 'another origin');
});

test('an answer that is not the file is an error naming the status; a file past the limit is refused with the limit', async () => {
  fake.handle((_, res) => res.writeHead(404).end('gone'));
  await assert.rejects(download(http, fileUrl(), memory().sink, { timeoutMs: 2000, maxBytes: 10 }), (e: unknown) =>
    isCode('NOT_FOUND')(e) && (e as TaigaMcpError).message === 'Taiga did not serve the file (HTTP 404).' && (e as TaigaMcpError).details?.['status'] === 404);
  fake.handle((_, res) => res.writeHead(200).end('123456'));
  await assert.rejects(download(http, fileUrl(), memory().sink, { timeoutMs: 2000, maxBytes: 5 }), (e: unknown) =>
    isCode('INVALID_INPUT')(e) && JSON.stringify((e as TaigaMcpError).details) === JSON.stringify({ limit_bytes: 5 }));
});

test('a download past its deadline is a TIMEOUT; one the caller aborts is CANCELLED', async () => {
  fake.handle(() => undefined);
  await assert.rejects(download(http, fileUrl(), memory().sink, { timeoutMs: 100, maxBytes: 10 }), isCode('TIMEOUT'));
  const caller = new AbortController();
  const pending = download(http, fileUrl(), memory().sink, { timeoutMs: 10_000, maxBytes: 10, signal: caller.signal });
  setTimeout(() => caller.abort(), 50);
  await assert.rejects(pending, isCode('CANCELLED'));
});

test('a slow sink holds the download back: the body is not buffered whole in memory', async () => {
  const body = Buffer.alloc(4 * 1024 * 1024, 1);
  fake.handle((_, res) => res.writeHead(200, { 'content-length': body.length }).end(body));
  let most = 0;
  const sink = new Writable({
    highWaterMark: 16 * 1024,
    write: (_c: Buffer, _e, done) => {
      most = Math.max(most, sink.writableLength);
      setImmediate(done);
    },
  });
  const got = await download(http, fileUrl(), sink, { timeoutMs: 10_000, maxBytes: body.length });
  assert.equal(got.bytes, body.length);
  assert.ok(most < 1024 * 1024, `at most ${most} bytes waited in the sink`);
});

test('a download\'s span names no path and ends with the status, or with the error code when no file came', async () => {
  const spans: Array<{ path: string; origin: string; outcome?: number | string }> = [];
  const traced = new TaigaHttp({
    baseUrl: fake.baseUrl, timeoutMs: 2000, retry: { attempts: 1 },
    tracer: { taigaRequest: (_m, path, origin) => { const span: (typeof spans)[number] = { path, origin }; spans.push(span); return (outcome) => void (span.outcome = outcome); } },
  });
  try {
    const origin = new URL(fake.baseUrl).origin;
    const get = (maxBytes: number) => download(traced, fileUrl(), memory().sink, { timeoutMs: 2000, maxBytes });
    fake.handle((_, res) => res.writeHead(200).end('hello'));
    await get(5);
    fake.handle((_, res) => res.writeHead(404).end('gone'));
    await assert.rejects(get(5), isCode('NOT_FOUND'));
    fake.handle((_, res) => res.writeHead(503).end('busy'));
    await assert.rejects(get(5), isCode('TAIGA_UNAVAILABLE'));
    fake.handle((_, res) => res.writeHead(200).end('123456'));
    await assert.rejects(get(5), isCode('INVALID_INPUT'));
    fake.handle((_, _res, raw) => raw.socket.destroy());
    await assert.rejects(get(5), isCode('TAIGA_UNAVAILABLE'));
    assert.deepEqual(spans, [
      { path: '/{file}', origin, outcome: 200 },
      { path: '/{file}', origin, outcome: 404 },
      { path: '/{file}', origin, outcome: 503 },
      { path: '/{file}', origin, outcome: 'INVALID_INPUT' },
      { path: '/{file}', origin, outcome: 'TAIGA_UNAVAILABLE' },
    ]);
  } finally {
    await traced.close();
  }
});
