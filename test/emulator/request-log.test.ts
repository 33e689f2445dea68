// The bounded request log: a window of the last requests, large bodies
// replaced by a marker, totals that keep counting, and recording off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_BODY_BYTES, startEmulator, type RecordedRequest } from './index.js';
import { RequestLog } from './request-log.js';

const request = (method: string, path: string): RecordedRequest => ({ method, path, query: {}, body: null, authorized: true, status: 200 });

test('the log keeps the last entries in place and counts every request and write', () => {
  const log = new RequestLog(true, 3);
  const held = log.entries;
  for (let i = 0; i < 5; i++) log.add(request(i % 2 ? 'POST' : 'GET', `/api/v1/userstories/${i}`));
  log.add(request('POST', '/api/v1/auth'));
  assert.equal(held, log.entries, 'trimmed in place, so emu.requests stays current');
  assert.deepEqual(held.map((r) => r.path), ['/api/v1/userstories/3', '/api/v1/userstories/4', '/api/v1/auth']);
  assert.equal(log.totalRequests, 6);
  assert.equal(log.totalWrites, 2, 'logging in is not a write');
  log.clear();
  assert.deepEqual([held.length, log.totalRequests, log.totalWrites], [0, 0, 0]);
});

test('large bodies are kept as a size marker; totalWrites counts writes between two points', async () => {
  const emu = await startEmulator();
  try {
    const before = emu.totalWrites;
    const big = JSON.stringify({ project: 1, subject: 'x'.repeat(MAX_BODY_BYTES) });
    await fetch(`${emu.apiUrl}/userstories`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    await fetch(`${emu.apiUrl}/userstories`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"project": 1}' });
    await fetch(`${emu.apiUrl}/projects`);
    assert.equal(emu.totalWrites - before, 2);
    assert.equal(emu.totalRequests, 3);
    assert.deepEqual(emu.requests[0]!.body, { omitted: true, bytes: Buffer.byteLength(big) });
    assert.deepEqual(emu.requests[1]!.body, { project: 1 });
    emu.reset();
    assert.deepEqual([emu.requests.length, emu.totalRequests, emu.totalWrites], [0, 0, 0]);
  } finally {
    await emu.close();
  }
});

test('record: false keeps nothing but still counts', async () => {
  const emu = await startEmulator({ record: false });
  try {
    await fetch(`${emu.apiUrl}/userstories/1`, { method: 'DELETE' });
    await fetch(`${emu.apiUrl}/projects`);
    assert.equal(emu.requests.length, 0);
    assert.equal(emu.writes().length, 0);
    assert.equal(emu.totalRequests, 2);
    assert.equal(emu.totalWrites, 1);
  } finally {
    await emu.close();
  }
});
