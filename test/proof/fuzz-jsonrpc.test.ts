import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { RawServer } from './support/raw-stdio.js';
import { anyLine, type Line } from './support/rpc-lines.js';
import { fuzzSettings, printable } from './support/fuzz-settings.js';

/**
 * The JSON-RPC surface over stdio, below the SDK client: whatever bytes arrive, the process
 * lives, answers the next request, answers each request at most once (exactly once when its id
 * is valid) and writes nothing but JSON-RPC to stdout. test/e2e/cli.test.ts has the basic bad
 * lines and the over-limit line; protocol-eras.test.ts the ids 0, -1 and strings.
 */
const { seed, runs } = fuzzSettings('FUZZ_RPC', 100);
const FAST = { TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' };

let emulator: Emulator;
let server: RawServer;
before(async () => {
  emulator = await startEmulator();
  server = RawServer.start(emulator, FAST);
  await server.ping('ready');
});
after(async () => {
  assert.equal(await server.stop(), 0, 'the server exits cleanly when stdin closes');
  await emulator.close();
});

let fence = 0;

test('any sequence of bad, odd and binary lines: each request answered at most once, then the next ping', async () => {
  const sentIds: unknown[] = [];
  await fc.assert(
    fc.asyncProperty(fc.array(anyLine, { minLength: 1, maxLength: 8 }).map(printable), fc.boolean(), async (lines: Line[], oneWrite) => {
      if (oneWrite) server.write(Buffer.concat(lines.map((l) => l.bytes)));
      else for (const line of lines) server.write(line.bytes);
      sentIds.push(...lines.map((l) => l.id));
      await server.ping(`fence-${(fence += 1)}`);
      for (const line of lines.filter((l) => l.owes !== undefined)) {
        await server.until(() => server.answersTo(line.owes!).length > 0, `answer to ${String(line.owes).slice(0, 40)}`);
        assert.equal(server.answersTo(line.owes!).length, 1, `one answer to ${String(line.owes).slice(0, 40)}`);
      }
    }),
    { seed, numRuns: runs, includeErrorInReport: true },
  );
  const known = (id: unknown) => id === null || id === 'ready' || (typeof id === 'string' && id.startsWith('fence-')) || sentIds.some((s) => Object.is(s, id));
  assert.deepEqual(server.messages.filter((m) => m.method === undefined && !known(m.id)).map((m) => m.id), [], 'no answer to an id never sent');
  assert.deepEqual(server.messages.filter((m) => m.id === null && 'result' in m), [], 'a null id is never answered as if valid');
  assert.ok(server.alive);
});

test('odd but valid ids are echoed; null, boolean, object and array ids get an error with id null, never a result', async () => {
  const odd = [-7, 2 ** 53 - 1, -(2 ** 53 - 1), ' ', '\u{1F600}', 'x'.repeat(10_000), '{"id":1}', '\u202e1'];
  for (const id of odd) server.send({ id, method: 'ping' });
  const nulls = server.answersTo(null).length;
  for (const id of [null, true, {}, [1]]) server.send({ id, method: 'ping' });
  await server.ping('after odd ids');
  for (const id of odd) assert.deepEqual(server.answersTo(id), [{ jsonrpc: '2.0', id, result: {} }], `id ${JSON.stringify(id).slice(0, 30)}`);
  const refused = server.answersTo(null).slice(nulls);
  assert.equal(refused.length, 4);
  for (const m of refused) assert.equal(m.error?.code, -32600);
});

test('fractional ids get an answer (echoed, or refused as invalid)', async () => {
  const nulls = server.answersTo(null).length;
  for (const id of [1.5, -2.25, 1e21]) server.send({ id, method: 'ping' });
  // Pings are answered in order: after the fence, no answer is still on its way.
  await server.ping('after fractional ids');
  const answered = [1.5, -2.25, 1e21].filter((id) => server.answersTo(id).length === 1);
  assert.equal(answered.length + server.answersTo(null).length - nulls, 3);
});

test('initialize with params of the wrong shape gets a short -32602', async () => {
  server.send({ id: 'bad-init', method: 'initialize', params: { protocolVersion: 7 } });
  await server.ping('after a bad initialize');
  const [answer] = server.answersTo('bad-init');
  assert.equal(answer?.error?.code, -32602);
  assert.ok(answer.error.message.length < 200, answer.error.message);
});

test('a line ended by CRLF is read like one ended by LF', async () => {
  server.write(`${JSON.stringify({ jsonrpc: '2.0', id: 'crlf', method: 'ping' })}\r\n`);
  await server.ping('after a CRLF line');
  assert.deepEqual(server.answersTo('crlf'), [{ jsonrpc: '2.0', id: 'crlf', result: {} }]);
});

test('a request that also carries a result is answered (as an invalid request)', async () => {
  server.send({ id: 'with-result', method: 'ping', result: {} });
  // Pings are answered in order: after the fence, no answer is still on its way.
  await server.ping('after a request with a result');
  assert.equal(server.answersTo('with-result').length, 1);
});

test('a 10 MB line (under the limit) is read and answered; a 10 MB argument is refused before Taiga', { timeout: 120_000 }, async () => {
  const big = 'y'.repeat(10 * 1024 * 1024);
  server.send({ id: 'big-ping', method: 'ping', params: { padding: big } });
  const writes = emulator.totalWrites;
  server.send({ id: 'big-call', method: 'tools/call', params: { name: 'create_user_story', arguments: { project_id: 1, subject: big } } });
  await server.ping('after 10 MB');
  await server.until(() => server.answersTo('big-call').length > 0, 'the answer to the 10 MB call');
  assert.deepEqual(server.answersTo('big-ping'), [{ jsonrpc: '2.0', id: 'big-ping', result: {} }]);
  const call = server.answersTo('big-call')[0]!.result as { isError?: boolean; content: Array<{ text: string }> };
  assert.equal(call.isError, true);
  assert.equal((JSON.parse(call.content[0]!.text) as { error: { code: string } }).error.code, 'INVALID_INPUT');
  assert.ok(call.content[0]!.text.length < 2000, 'the answer does not echo the 10 MB');
  assert.equal(emulator.totalWrites, writes);
});

test('1,000 messages in one write: each answered exactly once, in kind', { timeout: 120_000 }, async () => {
  const kinds = [
    { method: 'ping', check: (m: { result?: unknown }) => assert.deepEqual(m.result, {}) },
    { method: 'tools/list', check: (m: { result?: unknown }) => assert.ok(((m.result as { tools: unknown[] }).tools.length) > 20) },
    { method: 'tools/call', params: { name: 'list_projects', arguments: {} }, check: (m: { result?: unknown }) => assert.equal((m.result as { isError?: boolean }).isError, undefined) },
    { method: 'no/such/method', check: (m: { error?: { code: number } }) => assert.equal(m.error?.code, -32601) },
  ];
  const ids = Array.from({ length: 1000 }, (_, i) => `burst-${i}`);
  server.write(ids.map((id, i) => `${JSON.stringify({ jsonrpc: '2.0', id, method: kinds[i % 4]!.method, ...(kinds[i % 4]!.params && { params: kinds[i % 4]!.params }) })}\n`).join(''));
  await server.until(() => ids.every((id) => server.answersTo(id).length > 0), 'answers to all 1,000');
  await server.ping('after the burst');
  for (const [i, id] of ids.entries()) {
    const answers = server.answersTo(id);
    assert.equal(answers.length, 1, id);
    kinds[i % 4]!.check(answers[0]!);
  }
});
