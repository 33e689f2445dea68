import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { testRedisUrl } from '../helpers/redis-server.js';
import { legacyHttpClient, messageOf, modernHttpClient, rawRequest, rpc, startHttpMcp, type HttpMcp } from '../helpers/http-server.js';

// Confirmations over stateless HTTP: a 2026-07-28 client answers input_required results and
// retries; the requestState it echoes is sealed and bound, so that a tampered, moved, foreign or
// replayed one writes nothing, on one instance or across instances sharing Redis. A 2025-era
// client over stateless HTTP cannot be asked (its answer would reach another instance).

let emulator: Emulator;
let server: HttpMcp;
let requiring: HttpMcp;
const alice = newApiKey();
const bob = newApiKey();
const auth = { auth: { apiKeys: [{ sha256: alice.sha256, principal: 'alice' }, { sha256: bob.sha256, principal: 'bob' }] } };
const THRESHOLD = { TAIGA_CONFIRM_BULK_THRESHOLD: '2' };

before(async () => {
  emulator = await startEmulator();
  [server, requiring] = await Promise.all([
    startHttpMcp({ emulator, http: auth, env: THRESHOLD }),
    startHttpMcp({ emulator, http: auth, env: { ...THRESHOLD, TAIGA_CONFIRMATIONS: 'require' } }),
  ]);
});
after(async () => {
  await Promise.all([server.stop(), requiring.stop()]);
  await emulator.close();
});

type Round = { inputResponses?: Record<string, unknown>; requestState?: string };
const ACCEPTED = { confirmation: { action: 'accept', content: { confirm: true } } };
let ids = 0;

/** One tools/call as a 2026-07-28 client sends it (envelope in _meta, Mcp-* headers), with the round's answers. */
async function modernCall(on: HttpMcp, key: string, name: string, args: Record<string, unknown>, round: Round = {}, capabilities: Record<string, unknown> = { elicitation: {} }) {
  const _meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': capabilities };
  const answer = await rawRequest(on.mcpUrl, {
    headers: { authorization: `Bearer ${key}`, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name },
    body: rpc('tools/call', { name, arguments: args, ...round, _meta }, (ids += 1)),
  });
  const message = messageOf(answer);
  assert.ok(message.result, answer.body.slice(0, 400));
  return message.result as { resultType?: string; requestState?: string; inputRequests?: Record<string, { params: { message: string } }>; isError?: boolean; content?: Array<{ text: string }> };
}

const codeOf = (result: { isError?: boolean; content?: Array<{ text: string }> }): { code: string; details?: Record<string, unknown> } => {
  assert.equal(result.isError, true, JSON.stringify(result).slice(0, 300));
  return (JSON.parse(result.content![0]!.text) as { error: { code: string; details?: Record<string, unknown> } }).error;
};

const reasonOf = (result: Parameters<typeof codeOf>[0]): [string, unknown] => {
  const { code, details } = codeOf(result);
  return [code, details?.['reason']];
};

async function writes(run: () => Promise<unknown>): Promise<number> {
  const before = emulator.totalWrites;
  await run();
  return emulator.totalWrites - before;
}

const BULK = { project_id: 'project-1', task_ids: ['#2', '#3', '#4'], assigned_to: 'admin' };

test('2026-07-28 client over HTTP: declined, nothing written; accepted, the write is made once', async () => {
  let answer: { action: 'accept' | 'decline'; content?: { confirm: boolean } } = { action: 'decline' };
  const questions: string[] = [];
  const client = await modernHttpClient(server.mcpUrl, alice.key, ({ message }) => (questions.push(message), answer));
  try {
    const args = { user_story_id: '#12', project_id: 'project-1' };
    let result!: CallToolResult;
    assert.equal(await writes(async () => (result = (await client.callTool({ name: 'delete_user_story', arguments: args })) as CallToolResult)), 0);
    assert.ok(result.isError && (result.content[0] as { text: string }).text.includes('"DECLINED"'));
    answer = { action: 'accept', content: { confirm: true } };
    assert.equal(await writes(async () => (result = (await client.callTool({ name: 'delete_user_story', arguments: args })) as CallToolResult)), 1);
    assert.equal((result.structuredContent as { ref: number }).ref, 12);
    assert.deepEqual(questions, Array(2).fill('Delete user story #12 "Support for bulk actions" in project-1, with its tasks?'));
  } finally {
    await client.close();
  }
});

test('a requestState altered, moved to other arguments, used by another principal, or missing: refused, nothing written', async () => {
  const first = await modernCall(server, alice.key, 'bulk_update_tasks', BULK);
  assert.equal(first.resultType, 'input_required');
  assert.equal(first.inputRequests?.['confirmation']?.params.message, 'Set assigned_to "admin" on 3 tasks of project-1: #2, #3, #4?');
  const state = first.requestState!;
  const flipped = `${state.slice(0, 20)}${state[20] === 'A' ? 'B' : 'A'}${state.slice(21)}`;
  const tries: Array<[string, () => ReturnType<typeof modernCall>]> = [
    ['altered', () => modernCall(server, alice.key, 'bulk_update_tasks', BULK, { inputResponses: ACCEPTED, requestState: flipped })],
    ['other arguments', () => modernCall(server, alice.key, 'bulk_update_tasks', { ...BULK, task_ids: ['#2', '#3', '#4', '#10'] }, { inputResponses: ACCEPTED, requestState: state })],
    ['other tool', () => modernCall(server, alice.key, 'bulk_update_issues', { project_id: 'project-1', issue_ids: ['#36', '#37', '#38'], assigned_to: 'admin' }, { inputResponses: ACCEPTED, requestState: state })],
    ['other principal', () => modernCall(server, bob.key, 'bulk_update_tasks', BULK, { inputResponses: ACCEPTED, requestState: state })],
    ['no state', () => modernCall(server, alice.key, 'bulk_update_tasks', BULK, { inputResponses: ACCEPTED })],
  ];
  for (const [label, run] of tries) {
    let result!: Awaited<ReturnType<typeof modernCall>>;
    assert.equal(await writes(async () => (result = await run())), 0, label);
    assert.equal(codeOf(result).code, 'CONFIRMATION_INVALID', label);
  }
  assert.equal(await writes(() => modernCall(server, alice.key, 'bulk_update_tasks', BULK, { inputResponses: ACCEPTED, requestState: state })), 3, 'the untouched state still works');
});

test('an accepted answer is spent once: replayed, alone or many at once, it writes nothing more', async () => {
  const { requestState } = await modernCall(server, alice.key, 'bulk_update_tasks', BULK);
  const round = { inputResponses: ACCEPTED, requestState: requestState! };
  const concurrent = await Promise.all(Array.from({ length: 4 }, () => modernCall(server, alice.key, 'bulk_update_tasks', BULK, round)));
  assert.equal(concurrent.filter((r) => !r.isError).length, 1);
  for (const r of concurrent.filter((x) => x.isError)) assert.deepEqual(reasonOf(r), ['CONFIRMATION_INVALID', 'already used']);
  let replay!: Awaited<ReturnType<typeof modernCall>>;
  assert.equal(await writes(async () => (replay = await modernCall(server, alice.key, 'bulk_update_tasks', BULK, round))), 0);
  assert.equal(codeOf(replay).code, 'CONFIRMATION_INVALID');
});

test('a 2026-07-28 request that does not declare elicitation is not asked: under "ask" it goes on, under "require" it is refused', async () => {
  assert.equal(await writes(() => modernCall(server, alice.key, 'bulk_update_tasks', BULK, {}, {})), 3);
  let result!: Awaited<ReturnType<typeof modernCall>>;
  assert.equal(await writes(async () => (result = await modernCall(requiring, alice.key, 'bulk_update_tasks', BULK, {}, { elicitation: { url: {} } }))), 0);
  assert.equal(codeOf(result).code, 'CONFIRMATION_REQUIRED');
  assert.equal((await modernCall(requiring, alice.key, 'bulk_update_tasks', BULK)).resultType, 'input_required', 'one that declares it is asked');
});

test('a 2025-era client over stateless HTTP cannot be asked, even when it declares elicitation: "ask" goes on, "require" refuses with a hint', async () => {
  let asked = 0;
  const person = () => (asked++, { action: 'accept' as const, content: { confirm: true } });
  const [asking, strict] = await Promise.all([legacyHttpClient(server.mcpUrl, alice.key, person), legacyHttpClient(requiring.mcpUrl, alice.key, person)]);
  try {
    assert.equal(await writes(() => asking.callTool({ name: 'bulk_update_tasks', arguments: BULK })), 3);
    let result!: CallToolResult;
    assert.equal(await writes(async () => (result = (await strict.callTool({ name: 'bulk_update_tasks', arguments: BULK })) as CallToolResult)), 0);
    const refused = codeOf(result as never);
    assert.equal(refused.code, 'CONFIRMATION_REQUIRED');
    assert.equal(asked, 0);
    // A 2025-era request that claims the capability in its _meta is not believed either.
    const raw = await rawRequest(requiring.mcpUrl, {
      headers: { authorization: `Bearer ${alice.key}`, 'mcp-protocol-version': '2025-11-25' },
      body: rpc('tools/call', { name: 'bulk_update_tasks', arguments: BULK, _meta: { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } } }),
    });
    assert.equal(codeOf(messageOf(raw).result as never).code, 'CONFIRMATION_REQUIRED');
  } finally {
    await asking.close();
    await strict.close();
  }
});

test('two instances behind a load balancer, sharing Redis and the store key: one asks, the other takes the answer, and neither takes it twice', async () => {
  const redis = await testRedisUrl();
  const shared = { emulator, http: auth, env: { ...THRESHOLD, TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') }, config: { store: { kind: 'redis', url: redis, keyPrefix: `c${randomBytes(4).toString('hex')}:` } } };
  const [a, b] = await Promise.all([startHttpMcp(shared), startHttpMcp(shared)]);
  const stranger = await startHttpMcp({ ...shared, env: { ...shared.env, TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') } });
  try {
    const { requestState } = await modernCall(a, alice.key, 'bulk_update_tasks', BULK);
    const round = { inputResponses: ACCEPTED, requestState: requestState! };
    let result!: Awaited<ReturnType<typeof modernCall>>;
    assert.equal(await writes(async () => (result = await modernCall(stranger, alice.key, 'bulk_update_tasks', BULK, round))), 0, 'another key does not open it');
    assert.equal(codeOf(result).code, 'CONFIRMATION_INVALID');
    assert.equal(await writes(() => modernCall(b, alice.key, 'bulk_update_tasks', BULK, round)), 3);
    assert.equal(await writes(async () => (result = await modernCall(a, alice.key, 'bulk_update_tasks', BULK, round))), 0);
    assert.deepEqual(reasonOf(result), ['CONFIRMATION_INVALID', 'already used']);
  } finally {
    await Promise.all([a.stop(), b.stop(), stranger.stop()]);
  }
});
