/**
 * TaigaSession over a real socket (the scripted server of the client tests): which request each
 * method sends, the one renewal after a 401, and how a write that may have landed is reported.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { TaigaHttp } from '../../core/taiga/http.js';
import { TaigaSession, type TokenSource } from '../../core/sessions/taiga-session.js';
import { TaigaMcpError } from '../../core/errors.js';
import { startFakeTaiga, sendJson, type FakeTaiga } from './taiga/fake-taiga.js';

let fake: FakeTaiga;
let http: TaigaHttp;
const signal = new AbortController().signal;

before(async () => {
  fake = await startFakeTaiga();
  http = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 300, retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 20 } });
});
after(async () => {
  await http.close();
  await fake.close();
});

/** Hands out 'Bearer old' until renewed, and records each renewal's rejected value. */
function tokens(): TokenSource & { renewed: string[] } {
  let value = 'Bearer old';
  const renewed: string[] = [];
  return {
    renewed,
    current: async () => value,
    renew: async (rejected) => {
      renewed.push(rejected);
      value = 'Bearer new';
      return value;
    },
  };
}

/** Answers 401 to 'Bearer old' and echoes the request to anything else. */
function echoAfterRenewal(): void {
  fake.handle((req, res) => {
    if (req.headers['authorization'] === 'Bearer old') {
      sendJson(res, 401, { detail: 'Given token not valid for any token type', code: 'token_not_valid' });
      return;
    }
    sendJson(res, 200, { method: req.method, url: req.url, body: req.body, type: req.headers['content-type'] ?? null });
  });
}

type Echo = { method: string; url: string; body: string; type: string | null };

function start(): { session: TaigaSession; source: ReturnType<typeof tokens> } {
  fake.received.length = 0;
  const source = tokens();
  return { session: new TaigaSession(http, source, signal), source };
}

test('apiUrl is the client base URL', () => {
  assert.equal(new TaigaSession(http, tokens(), signal).apiUrl, fake.baseUrl);
});

test('get sends its query, renews once after a 401 and repeats with the fresh token', async () => {
  echoAfterRenewal();
  const { session, source } = start();
  const echo = await session.get<Echo>('/userstories', { project: 7 });
  assert.deepEqual([echo.method, echo.url], ['GET', '/api/v1/userstories?project=7']);
  assert.deepEqual(source.renewed, ['Bearer old']);
  assert.deepEqual(fake.received.map((r) => r.headers['authorization']), ['Bearer old', 'Bearer new']);
});

test('page and all send the query; all keeps to its cap', async () => {
  fake.handle((req, res) => sendJson(res, 200, [{ url: req.url }, { id: 2 }, { id: 3 }]));
  const { session } = start();
  const page = await session.page<{ url: string }>('/tasks', { project: 7 }, { page: 2, pageSize: 3 });
  assert.equal(page.items[0]?.url, '/api/v1/tasks?project=7&page=2&page_size=3');
  const capped = await session.all<{ url: string }>('/tasks', { project: 7 }, 2);
  assert.deepEqual([capped.items.length, capped.truncated], [2, true]);
  assert.equal(capped.items[0]?.url, '/api/v1/tasks?project=7&page=1&page_size=2');
  const whole = await session.all<{ url: string }>('/tasks', { project: 7 });
  assert.deepEqual([whole.items.length, whole.truncated], [3, false]);
});

test('page and all renew after a 401 too', async () => {
  const { session, source } = start();
  fake.handle((req, res) => (req.headers['authorization'] === 'Bearer old' ? sendJson(res, 401, { code: 'token_not_valid' }) : sendJson(res, 200, [{ id: 1 }])));
  assert.equal((await session.page('/tasks', undefined, { page: 1, pageSize: 5 })).items.length, 1);
  assert.equal((await session.all('/tasks', undefined)).items.length, 1);
  assert.deepEqual(source.renewed, ['Bearer old']);
});

test('post, patch, delete and upload send their method, path, body and query', async () => {
  echoAfterRenewal();
  const { session, source } = start();
  const posted = await session.post<Echo>('/userstories', { subject: 'x' });
  assert.deepEqual([posted.method, posted.url, posted.body], ['POST', '/api/v1/userstories', '{"subject":"x"}']);
  const patched = await session.patch<Echo>('/userstories/1', { version: 2 });
  assert.deepEqual([patched.method, patched.url, patched.body], ['PATCH', '/api/v1/userstories/1', '{"version":2}']);
  await session.delete('/userstories/1', { version: 3 });
  await session.delete('/tasks/2');
  assert.deepEqual(fake.received.slice(-2).map((r) => [r.method, r.url]), [['DELETE', '/api/v1/userstories/1?version=3'], ['DELETE', '/api/v1/tasks/2']]);
  const uploaded = await session.upload<Echo>('/userstories/attachments', { contentType: 'text/plain', length: 5, open: () => Readable.from([Buffer.from('hello')]) });
  assert.deepEqual([uploaded.method, uploaded.url, uploaded.body, uploaded.type], ['POST', '/api/v1/userstories/attachments', 'hello', 'text/plain']);
  assert.deepEqual(source.renewed, ['Bearer old']);
});

test('download sends the session token to the API origin', async () => {
  fake.handle((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`auth=${req.headers['authorization']}`);
  });
  const { session } = start();
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) });
  const got = await session.download(`${new URL(fake.baseUrl).origin}/media/file.txt`, sink, { timeoutMs: 2000, maxBytes: 1000 });
  assert.equal(Buffer.concat(chunks).toString(), 'auth=Bearer old');
  assert.deepEqual(got, { contentType: 'text/plain', bytes: 15 });
});

test('an error other than AUTH_FAILED is not a reason to renew', async () => {
  fake.handle((_, res) => sendJson(res, 404, { _error_message: 'No UserStory matches the given query.' }));
  const { session, source } = start();
  await assert.rejects(session.get('/userstories/9'), (e: unknown) => e instanceof TaigaMcpError && e.code === 'NOT_FOUND');
  await assert.rejects(session.post('/userstories', {}), (e: unknown) => e instanceof TaigaMcpError && e.code === 'NOT_FOUND' && e.details?.['outcome_unknown'] === undefined);
  await assert.rejects(session.page('/tasks', undefined, { page: 1, pageSize: 5 }), (e: unknown) => e instanceof TaigaMcpError && e.code === 'NOT_FOUND');
  assert.deepEqual(source.renewed, []);
  assert.equal(fake.received.length, 3);
});

test('a write that timed out may have been applied: said in the message, details and hint; a read is not marked', async () => {
  fake.handle(() => undefined); // never answers
  const { session } = start();
  const err = await session.patch('/userstories/1', { version: 1 }).then(
    () => assert.fail('no answer must be an error'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TaigaMcpError);
  assert.equal(err.code, 'TIMEOUT');
  assert.equal(err.message, 'Taiga did not answer within 300 ms. The change may or may not have been applied.');
  assert.deepEqual(err.details, { timeout_ms: 300, outcome_unknown: true });
  assert.equal(err.hint, 'Read the object to see whether the change was applied before trying again.');
  const read = await session.get('/userstories/1').then(
    () => assert.fail('no answer must be an error'),
    (e: unknown) => e,
  );
  assert.ok(read instanceof TaigaMcpError);
  assert.deepEqual([read.code, read.message, read.details], ['TIMEOUT', 'Taiga did not answer within 300 ms.', { timeout_ms: 300 }]);
});

test('a write that met a 5xx may have been applied; a refused connection certainly was not', async () => {
  fake.handle((_, res) => sendJson(res, 502, {}));
  const { session } = start();
  await assert.rejects(session.delete('/tasks/1'), (e: unknown) => {
    assert.ok(e instanceof TaigaMcpError);
    assert.deepEqual([e.code, e.message, e.details], ['TAIGA_UNAVAILABLE', 'Taiga failed with HTTP 502. The change may or may not have been applied.', { status: 502, outcome_unknown: true }]);
    return true;
  });
  const gone = await startFakeTaiga();
  const url = gone.baseUrl;
  await gone.close();
  const refusedClient = new TaigaHttp({ baseUrl: url, timeoutMs: 1000, retry: { attempts: 1 } });
  try {
    await assert.rejects(new TaigaSession(refusedClient, tokens(), signal).post('/userstories', {}), (e: unknown) => {
      assert.ok(e instanceof TaigaMcpError);
      assert.deepEqual([e.code, e.message, e.details], ['TAIGA_UNAVAILABLE', 'Could not reach Taiga (ECONNREFUSED).', { reason: 'ECONNREFUSED' }]);
      return true;
    });
  } finally {
    await refusedClient.close();
  }
});

test('a write refused for its token twice stays AUTH_FAILED, unmarked', async () => {
  fake.handle((_, res) => sendJson(res, 401, { code: 'token_not_valid' }));
  const { session, source } = start();
  await assert.rejects(session.post('/userstories', {}), (e: unknown) => e instanceof TaigaMcpError && e.code === 'AUTH_FAILED' && e.details?.['outcome_unknown'] === undefined);
  assert.deepEqual(source.renewed, ['Bearer old']);
});

test('a write whose token could not be renewed sent nothing: the error is not marked uncertain', async () => {
  fake.handle((_, res) => sendJson(res, 401, { code: 'token_not_valid' }));
  fake.received.length = 0;
  const stuck = new TaigaMcpError('TIMEOUT', { message: 'Another server instance is still renewing this session.' });
  const source: TokenSource = { current: async () => 'Bearer old', renew: async () => Promise.reject(stuck) };
  await assert.rejects(new TaigaSession(http, source, signal).patch('/userstories/1', { version: 1 }), (e: unknown) => e === stuck);
  assert.equal(fake.received.length, 1);
});
