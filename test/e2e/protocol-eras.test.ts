import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { CLI, dataOf, errorOf, serverEnv, startHarness, startModernHarness, type Harness, type ModernHarness } from '../helpers/stdio-harness.js';

// The same server answers a 2025-era client (initialize handshake, v1 SDK) and a 2026-07-28 client
// (no handshake, version and capabilities in every request's _meta, v2 SDK) with the same tools.
let emulator: Emulator;
let legacy: Harness;
let modern: ModernHarness;
before(async () => {
  emulator = await startEmulator();
  legacy = await startHarness({ emulator });
  modern = await startModernHarness({ emulator });
});
after(async () => {
  await legacy.close();
  await modern.close();
  await emulator.close();
});

const until = async (check: () => boolean, what: string, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

test('a 2026-07-28 client negotiates the current revision and gets the instructions', () => {
  assert.equal(modern.client.getNegotiatedProtocolVersion(), '2026-07-28');
  assert.match(modern.client.getInstructions() ?? '', /Taiga/);
  assert.match(legacy.client.getInstructions() ?? '', /Taiga/);
});

test('both eras list the same tools, with the same schemas and annotations', async () => {
  const [a, b] = await Promise.all([legacy.client.listTools(), modern.client.listTools()]);
  const shape = (tools: Array<{ name: string; inputSchema: unknown; outputSchema?: unknown; annotations?: unknown }>) =>
    tools.map(({ name, inputSchema, outputSchema, annotations }) => ({ name, inputSchema, outputSchema, annotations }));
  assert.deepEqual(shape(b.tools as never), shape(a.tools as never));
  assert.ok(a.tools.length > 20);
});

test('both eras get the same answers: data, structured errors and the hidden-tool rule', async () => {
  const args = { project_id: 'project-1', user_story_id: '#1' };
  const [a, b] = await Promise.all([legacy.call('get_user_story', args), modern.call('get_user_story', args)]);
  assert.deepEqual(dataOf(b), dataOf(a));
  assert.deepEqual(b.content, a.content);
  const bad = errorOf(await modern.call('get_user_story', { project_id: 'project-1', user_story_id: -3 }));
  assert.equal(bad.code, 'INVALID_INPUT');
  const unknown = await modern.call('no_such_tool', {}).then(
    (r) => JSON.stringify(r),
    (e: Error) => e.message,
  );
  assert.match(unknown, /Unknown tool/);
});

test('a 2026-07-28 client cancels a call in flight: the call ends as CANCELLED and the server goes on', async () => {
  emulator.knobs.hangNext(1, { match: /\/userstories\?/ });
  const controller = new AbortController();
  const pending = modern.call('list_user_stories', { project_id: 'project-2' }, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 300));
  controller.abort();
  await assert.rejects(pending);
  await until(() => /"outcome":"CANCELLED"/.test(modern.stderr()), 'the CANCELLED log line');
  emulator.knobs.clear();
  dataOf(await modern.call('list_user_stories', { project_id: 'project-2' }));
});

test('raw stdio: every id type is answered, id 0 included, and a request with id 0 can be cancelled', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [CLI], { env: serverEnv(emulator), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const messages = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id?: unknown; result?: unknown; error?: { code: number } });
  const send = (m: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
  try {
    send({ id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    await until(() => messages().some((m) => m.id === 'init'), 'initialize');
    send({ method: 'notifications/initialized' });
    for (const id of [0, -1, 7, 'a string id', '']) send({ id, method: 'ping' });
    await until(() => messages().length >= 6, 'five pings');
    assert.deepEqual(messages().slice(1).map((m) => m.id), [0, -1, 7, 'a string id', '']);

    emulator.knobs.hangNext(1, { match: /\/userstories\?/ });
    send({ id: 0, method: 'tools/call', params: { name: 'list_user_stories', arguments: { project_id: 'project-3' } } });
    await new Promise((r) => setTimeout(r, 300));
    send({ method: 'notifications/cancelled', params: { requestId: 0, reason: 'test' } });
    await until(() => /"outcome":"CANCELLED"/.test(stderr), 'the CANCELLED log line');
    send({ id: 99, method: 'ping' });
    await until(() => messages().some((m) => m.id === 99), 'the ping after the cancel');
    // A cancelled request is not answered (MCP cancellation): only the six pings and initialize.
    assert.equal(messages().filter((m) => m.id === 0).length, 1);
  } finally {
    emulator.knobs.clear();
    child.kill();
  }
});
