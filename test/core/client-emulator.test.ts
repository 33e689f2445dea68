import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { TaigaHttp } from '../../core/taiga/http.js';
import type { TaigaMcpError } from '../../core/errors.js';

/** The client against the emulator over real HTTP: the shapes real taiga-back sends. */
let emulator: Emulator;
let http: TaigaHttp;
let token: string;
before(async () => {
  emulator = await startEmulator();
  http = new TaigaHttp({ baseUrl: emulator.apiUrl, timeoutMs: 2000, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20, maxThrottleWaitMs: 100 } });
  token = `Bearer ${(await http.login('admin', 'taigaadmin')).authToken}`;
});
after(async () => {
  await http.close();
  await emulator.close();
});
const code = (c: string) => (e: TaigaMcpError) => e.code === c;

test('pagination: header-only pages become page, total and has_next; getAll follows every page', async () => {
  const page = await http.getPage('/userstories', { project: 1 }, { page: 2, pageSize: 5 }, { authorization: token });
  assert.deepEqual([page.items.length, page.total, page.hasNext, page.page], [5, 14, true, 2]);
  const all = await http.getAll('/userstories', { project: 1 }, { authorization: token, cap: 1000 });
  assert.deepEqual([all.items.length, all.total, all.truncated], [14, 14, false]);
  const capped = await http.getAll('/userstories', { project: 1 }, { authorization: token, cap: 10 });
  assert.deepEqual([capped.items.length, capped.truncated], [10, true]);
});

test('Taiga error shapes map to catalog codes', async () => {
  await assert.rejects(http.request({ method: 'GET', path: '/userstories/99999', authorization: token }), code('NOT_FOUND'));
  await assert.rejects(http.request({ method: 'PATCH', path: '/userstories/1', authorization: token, body: { subject: 'x' } }), code('VERSION_CONFLICT'));
  await assert.rejects(http.request({ method: 'POST', path: '/projects', authorization: token, body: { name: 'no description' } }), (e: TaigaMcpError) => e.code === 'TAIGA_REJECTED' && 'description' in ((e.details?.['fields'] as object) ?? {}));
  await assert.rejects(http.request({ method: 'GET', path: '/users/me', authorization: 'Bearer invalid-token-value' }), code('AUTH_FAILED'));
  await assert.rejects(http.login('admin', 'wrong'), code('AUTH_FAILED'));
});

test('refresh rotates: the new refresh token works, the old one is refused', async () => {
  const first = await http.login('user1', '123123');
  const second = await http.refresh(first.refreshToken);
  assert.notEqual(second.refreshToken, first.refreshToken);
  await assert.rejects(http.refresh(first.refreshToken), code('AUTH_FAILED'));
  await http.refresh(second.refreshToken);
});

test('reads are retried on 5xx and resets; writes are sent once', async () => {
  emulator.knobs.failNext(2, { status: 503 });
  await http.request({ method: 'GET', path: '/userstories/1', authorization: token });
  emulator.knobs.resetNext(1);
  await http.request({ method: 'GET', path: '/userstories/1', authorization: token });
  const before = emulator.writes().length;
  emulator.knobs.failNext(1, { status: 500 });
  await assert.rejects(http.request({ method: 'POST', path: '/userstories', authorization: token, body: { project: 1, subject: 'once' } }), code('TAIGA_UNAVAILABLE'));
  assert.equal(emulator.writes().length, before + 1);
  emulator.knobs.throttleNext(1, 60);
  await assert.rejects(http.request({ method: 'GET', path: '/userstories/1', authorization: token }), (e: TaigaMcpError) => e.code === 'RATE_LIMITED' && e.details?.['retry_after_seconds'] === 60);
  emulator.knobs.clear();
});
