import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { isInputRequiredResult, type InputRequiredResult } from '@modelcontextprotocol/server';
import { validateConfig } from '../../core/config/load.js';
import { ANSWER_KEY, canonical, ConfirmationPending, Confirmations, CONFIRMATION_TTL_MS, type ConfirmationRequest } from '../../core/confirm/confirmations.js';
import { confirmationChannel, showsForms, type ConfirmationChannel } from '../../core/confirm/channel.js';
import type { Server, ServerContext } from '@modelcontextprotocol/server';
import { cleanQuestion, genericQuestion, MAX_QUESTION, quoteShort } from '../../core/confirm/question.js';
import { MemoryStore } from '../../core/sessions/memory-store.js';
import { TokenCipher } from '../../core/sessions/token-cipher.js';
import { TaigaMcpError } from '../../core/errors.js';
import type { ToolCall } from '../../core/pipeline/types.js';
import type { AnyTool } from '../../core/plugin/types.js';
import { storiesLabel, storyIds } from '../../plugins/sprints/sprint-access.js';

// The confirmation core on its own: what is asked and when, and every way an answer is refused.
// The end-to-end proof with real clients of both eras is test/e2e/confirmations.test.ts.

type Settings = { mode: 'ask' | 'require' | 'off'; bulkThreshold: number };
const ASK: Settings = { mode: 'ask', bulkThreshold: 10 };
const KEY = randomBytes(32).toString('base64');
const QUESTION = 'Delete user story #12 "Login page" in project-1?';
const DELETE: ConfirmationRequest = { message: QUESTION, version: [12, 3] };
const ACCEPT = { [ANSWER_KEY]: { action: 'accept', content: { confirm: true } } };

function setup(settings: Settings = ASK, key = KEY) {
  let now = 1_700_000_000_000;
  const store = new MemoryStore({ now: () => now });
  return { confirmations: new Confirmations(settings, store, key), store, advance: (ms: number) => void (now += ms) };
}

function call(channel: ConfirmationChannel | undefined, over: { principal?: string; tool?: string; args?: Record<string, unknown> } = {}): ToolCall {
  return { principal: over.principal ?? 'alice', tool: { name: over.tool ?? 'delete_user_story' }, args: over.args ?? { user_story_id: '#12', project_id: 'project-1' }, ...(channel && { confirmationChannel: channel }) } as unknown as ToolCall;
}

const canAsk = (answers?: Record<string, unknown>, state?: string): ConfirmationChannel => ({ canAsk: true, answers, state });

/** The input_required result of a first round. */
async function asked(confirmations: Confirmations, c: ToolCall, request = DELETE): Promise<InputRequiredResult> {
  const err = await confirmations.confirm(c, request, false).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof ConfirmationPending, `expected a question, got ${String(err)}`);
  assert.ok(isInputRequiredResult(err.result));
  return err.result;
}

const code = (expected: string, reason?: string) => (err: unknown) => {
  assert.ok(err instanceof TaigaMcpError, String(err));
  assert.equal(err.code, expected, err.message);
  if (reason !== undefined) assert.equal(err.details?.['reason'], reason);
  return true;
};

test('a client that can ask gets one form elicitation, its question as given, one required boolean, and a sealed state', async () => {
  const { confirmations } = setup();
  const result = await asked(confirmations, call(canAsk()));
  const request = result.inputRequests?.[ANSWER_KEY] as { method: string; params: { mode: string; message: string; requestedSchema: unknown } };
  assert.deepEqual(Object.keys(result.inputRequests ?? {}), [ANSWER_KEY]);
  assert.equal(request.method, 'elicitation/create');
  assert.equal(request.params.mode, 'form');
  assert.equal(request.params.message, QUESTION);
  assert.deepEqual(request.params.requestedSchema, { type: 'object', properties: { confirm: { type: 'boolean', title: 'Yes, do it', description: 'Tick to let this write happen.' } }, required: ['confirm'] });
  assert.match(result.requestState ?? '', /^v2\.[\w-]+$/);
  assert.ok(!Buffer.from(result.requestState!.slice(3), 'base64url').toString('latin1').includes('confirm'), 'sealed, not readable');
});

test('accepted with its state, the write goes on once; the same answer again is refused as used', async () => {
  const { confirmations } = setup();
  const { requestState } = await asked(confirmations, call(canAsk()));
  assert.equal(await confirmations.confirm(call(canAsk(ACCEPT, requestState)), DELETE, false), true);
  await assert.rejects(confirmations.confirm(call(canAsk(ACCEPT, requestState)), DELETE, false), code('CONFIRMATION_INVALID', 'already used'));
});

test('two retries with one state at once: exactly one goes on', async () => {
  const { confirmations } = setup();
  const { requestState } = await asked(confirmations, call(canAsk()));
  const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => confirmations.confirm(call(canAsk(ACCEPT, requestState)), DELETE, false)));
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
});

test('decline, cancel, an unticked box or no content: DECLINED, whatever the state', async () => {
  const { confirmations } = setup();
  const { requestState } = await asked(confirmations, call(canAsk()));
  for (const [answer, action] of [
    [{ action: 'decline' }, 'decline'],
    [{ action: 'decline', content: { confirm: true } }, 'decline'],
    [{ action: 'cancel', content: { confirm: true } }, 'cancel'],
    [{ action: 'cancel' }, 'cancel'],
    [{ action: 'accept', content: { confirm: false } }, 'accept'],
    [{ action: 'accept', content: { confirm: 'true' } }, 'accept'],
    [{ action: 'accept' }, 'accept'],
    [{ roots: [] }, 'none'],
  ] as const) {
    await assert.rejects(confirmations.confirm(call(canAsk({ [ANSWER_KEY]: answer }, requestState)), DELETE, false), (err: unknown) => {
      code('DECLINED')(err);
      assert.equal((err as TaigaMcpError).details?.['action'], action);
      assert.ok((err as TaigaMcpError).message.includes(QUESTION), 'says what was not done');
      return true;
    });
  }
  assert.equal(await confirmations.confirm(call(canAsk(ACCEPT, requestState)), DELETE, false), true, 'a decline spends nothing');
});

test('an answer without a state, with a forged one, or one altered by a character is refused', async () => {
  const { confirmations } = setup();
  const { requestState } = await asked(confirmations, call(canAsk()));
  const state = requestState!;
  const flipped = `${state.slice(0, -2)}${state.at(-2) === 'A' ? 'B' : 'A'}${state.at(-1)}`;
  for (const bad of [undefined, '', 'v2.', 'v2.abc', `v2.${randomBytes(80).toString('base64url')}`, flipped, state.replace('v2.', 'v1.'), state.replace('v2.', 'v3.')]) {
    await assert.rejects(confirmations.confirm(call(canAsk(ACCEPT, bad)), DELETE, false), code('CONFIRMATION_INVALID', 'not a confirmation this server gave for this call'));
  }
});

test('a state is bound to the principal, the tool and the arguments (in any key order)', async () => {
  const { confirmations } = setup();
  const { requestState } = await asked(confirmations, call(canAsk(), { args: { user_story_id: '#12', project_id: 'project-1', version: 3 } }));
  const use = (over: Parameters<typeof call>[1]) => confirmations.confirm(call(canAsk(ACCEPT, requestState), over), DELETE, false);
  await assert.rejects(use({ principal: 'mallory', args: { user_story_id: '#12', project_id: 'project-1', version: 3 } }), code('CONFIRMATION_INVALID'));
  await assert.rejects(use({ tool: 'delete_task', args: { user_story_id: '#12', project_id: 'project-1', version: 3 } }), code('CONFIRMATION_INVALID'));
  await assert.rejects(use({ args: { user_story_id: '#13', project_id: 'project-1', version: 3 } }), code('CONFIRMATION_INVALID'));
  await assert.rejects(use({ args: { user_story_id: '#12', project_id: 'project-1' } }), code('CONFIRMATION_INVALID'));
  assert.equal(await use({ args: { version: 3, project_id: 'project-1', user_story_id: '#12' } }), true);
});

test('canonical JSON sorts keys at every depth and keeps arrays in order', () => {
  assert.equal(canonical({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
});

test('when what the call would do changed since the person saw it (version or question), VERSION_CONFLICT, and the answer stays unspent', async () => {
  const { confirmations } = setup();
  const { requestState } = await asked(confirmations, call(canAsk()));
  const retry = (request: ConfirmationRequest) => confirmations.confirm(call(canAsk(ACCEPT, requestState)), request, false);
  await assert.rejects(retry({ ...DELETE, version: [12, 4] }), (err: unknown) => {
    code('VERSION_CONFLICT')(err);
    assert.equal((err as TaigaMcpError).details?.['question'], QUESTION);
    assert.match((err as TaigaMcpError).hint, /asked about what is there now/);
    return true;
  });
  await assert.rejects(retry({ ...DELETE, message: 'Delete user story #12 "Log-in page" in project-1?' }), code('VERSION_CONFLICT'));
  await assert.rejects(retry({ message: QUESTION }), code('VERSION_CONFLICT'), 'a version the person saw is not dropped');
  assert.equal(await retry(DELETE), true);
});

test('a state expires after its TTL, on the store clock', async () => {
  const { confirmations, advance } = setup();
  const first = (await asked(confirmations, call(canAsk()))).requestState;
  advance(CONFIRMATION_TTL_MS - 1);
  assert.equal(await confirmations.confirm(call(canAsk(ACCEPT, first)), DELETE, false), true, 'just in time');
  const second = (await asked(confirmations, call(canAsk()))).requestState;
  advance(CONFIRMATION_TTL_MS);
  await assert.rejects(confirmations.confirm(call(canAsk(ACCEPT, second)), DELETE, false), code('CONFIRMATION_INVALID', 'expired'));
});

test('instances with the same key accept each other\'s states; another key does not open them', async () => {
  const a = setup();
  const { requestState } = await asked(a.confirmations, call(canAsk()));
  const b = new Confirmations(ASK, a.store, KEY);
  assert.equal(await b.confirm(call(canAsk(ACCEPT, requestState)), DELETE, false), true);
  const c = setup(ASK, randomBytes(32).toString('base64'));
  const other = (await asked(a.confirmations, call(canAsk()))).requestState;
  await assert.rejects(c.confirmations.confirm(call(canAsk(ACCEPT, other)), DELETE, false), code('CONFIRMATION_INVALID'));
});

test('the key: store.encryptionKey with Redis (shared by every instance), else one made per process', async () => {
  const store = new MemoryStore();
  const key = randomBytes(32).toString('base64');
  const redis = validateConfig({ store: { kind: 'redis', url: 'redis://127.0.0.1:1', encryptionKey: key } });
  const [one, two] = [Confirmations.forConfig(redis, store), Confirmations.forConfig(redis, store)];
  const shared = (await asked(one, call(canAsk()))).requestState;
  assert.equal(await two.confirm(call(canAsk(ACCEPT, shared)), DELETE, false), true);
  const memory = validateConfig({});
  const [three, four] = [Confirmations.forConfig(memory, store), Confirmations.forConfig(memory, store)];
  const own = (await asked(three, call(canAsk()))).requestState;
  await assert.rejects(four.confirm(call(canAsk(ACCEPT, own)), DELETE, false), code('CONFIRMATION_INVALID'));
  assert.equal(three.settings.mode, 'ask');
  assert.equal(three.settings.bulkThreshold, 10);
});

test('a client that cannot ask: "ask" goes on, "require" refuses with the question and a hint naming confirm: true, unless the call says confirm: true', async () => {
  for (const channel of [undefined, { canAsk: false, answers: undefined, state: undefined }]) {
    assert.equal(await setup().confirmations.confirm(call(channel), DELETE, false), false);
    const { confirmations } = setup({ mode: 'require', bulkThreshold: 10 });
    await assert.rejects(confirmations.confirm(call(channel), DELETE, false), (err: unknown) => {
      code('CONFIRMATION_REQUIRED')(err);
      assert.equal((err as TaigaMcpError).details?.['question'], QUESTION);
      assert.equal((err as TaigaMcpError).message, `A person must confirm this write, and this client cannot ask one: ${QUESTION}`);
      assert.match((err as TaigaMcpError).hint, /confirm: true/);
      return true;
    });
    assert.equal(await confirmations.confirm(call(channel), DELETE, true), false);
  }
});

test('"require" with a client that can ask still asks, even when the call says confirm: true', async () => {
  const { confirmations } = setup({ mode: 'require', bulkThreshold: 10 });
  await asked(confirmations, call(canAsk()));
  await assert.rejects(confirmations.confirm(call(canAsk()), DELETE, true), (e: unknown) => e instanceof ConfirmationPending);
});

test('"off" never asks, and takes no answer', async () => {
  const { confirmations } = setup({ mode: 'off', bulkThreshold: 10 });
  assert.equal(await confirmations.confirm(call(canAsk()), DELETE, false), false);
  assert.equal(await confirmations.confirm(call(canAsk({ [ANSWER_KEY]: { action: 'decline' } })), DELETE, false), false);
});

test('a bulk write is asked about only above the threshold', async () => {
  const { confirmations } = setup({ mode: 'require', bulkThreshold: 3 });
  assert.equal(await confirmations.confirm(call(canAsk()), { message: 'Move 3 stories?', items: 3 }, false), false);
  await asked(confirmations, call(canAsk()), { message: 'Move 4 stories?', items: 4 });
  const none = setup({ mode: 'ask', bulkThreshold: 0 });
  await asked(none.confirmations, call(canAsk()), { message: 'Move 1 story?', items: 1 });
});

test('a question loses control and format characters and is bounded; a quoted name is one short line', () => {
  assert.equal(cleanQuestion('Delete\u0000 "a\u202Eb"\u200B?\n'), 'Delete  "a b" ?');
  assert.equal(cleanQuestion('a\u0000\u0007\u202E\u2028b'), 'a b', 'a run of them is one space');
  const long = cleanQuestion('x'.repeat(5000));
  assert.equal([...long].length, MAX_QUESTION);
  assert.ok(long.endsWith('…'));
  assert.equal(cleanQuestion('ok'.repeat(MAX_QUESTION / 2)), 'ok'.repeat(MAX_QUESTION / 2), 'exactly the limit is kept whole');
  assert.equal(quoteShort('Login\n\tpage  <b>'), '"Login page \\u003cb\\u003e"');
  assert.equal(quoteShort('ab', 2), '"ab"');
  assert.equal(quoteShort('abc', 2), '"a…"');
  assert.equal(quoteShort('😀😀😀', 2), '"😀…"', 'cut between characters, never inside one');
  assert.equal(quoteShort('x'.repeat(200)).length, 82);
});

test('the question of a destructive tool that does not ask itself names the tool and its arguments, quoted and cut', () => {
  const tool = { name: 'acme_delete_entry', title: 'Delete time entry' } as AnyTool;
  assert.equal(genericQuestion(tool, { entry_id: 5, session_id: 'secret-session', note: `a"b\n${'x'.repeat(100)}` }), `Delete time entry (acme_delete_entry) with entry_id "5", note "a\\"b ${'x'.repeat(55)}…"?`);
  assert.equal(genericQuestion(tool, {}), 'Delete time entry (acme_delete_entry)?');
  const many = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`a${i}`, i]));
  assert.equal((genericQuestion(tool, many).match(/ a\d+ /g) ?? []).length, 10, 'at most ten arguments');
});

test('elicitation capability: {} and {form} ask; {url} alone, none or not an object do not', () => {
  assert.equal(showsForms({}), true);
  assert.equal(showsForms({ form: {} }), true);
  assert.equal(showsForms({ form: {}, url: {} }), true);
  assert.equal(showsForms({ url: {} }), false);
  assert.equal(showsForms(undefined), false);
  assert.equal(showsForms(null as never), false);
  assert.equal(showsForms(true as never), false);
});

test('a question given as a function is made only where it is put or checked', async () => {
  let made = 0;
  const lazy: ConfirmationRequest = { message: async () => (made++, QUESTION), version: [12, 3] };
  const cannot = { canAsk: false, answers: undefined, state: undefined };
  assert.equal(await setup().confirmations.confirm(call(cannot), lazy, false), false);
  assert.equal(await setup({ mode: 'off', bulkThreshold: 10 }).confirmations.confirm(call(canAsk()), lazy, false), false);
  assert.equal(await setup().confirmations.confirm(call(canAsk()), { ...lazy, items: 10 }, false), false);
  assert.equal(await setup({ mode: 'require', bulkThreshold: 10 }).confirmations.confirm(call(cannot), lazy, true), false);
  assert.equal(made, 0);
  const { confirmations } = setup();
  const { requestState, inputRequests } = await asked(confirmations, call(canAsk()), lazy);
  assert.equal((inputRequests?.[ANSWER_KEY] as { params: { message: string } }).params.message, QUESTION);
  assert.equal(await confirmations.confirm(call(canAsk(ACCEPT, requestState)), lazy, false), true, 'the same question, made again');
  await assert.rejects(setup({ mode: 'require', bulkThreshold: 10 }).confirmations.confirm(call(cannot), lazy, false), code('CONFIRMATION_REQUIRED'));
  assert.equal(made, 3);
});

test('a sprint question names its stories, the first 20 of them, and how many more', () => {
  const stories = (n: number) => Array.from({ length: n }, (_, i) => ({ id: 100 - i, ref: i + 1 }));
  assert.equal(storiesLabel(stories(1)), '1 user story (#1)');
  assert.equal(storiesLabel(stories(2), 'unfinished '), '2 unfinished user stories (#1, #2)');
  assert.equal(storiesLabel(stories(20)), `20 user stories (${stories(20).map((s) => `#${s.ref}`).join(', ')})`);
  assert.equal(storiesLabel(stories(23)), `23 user stories (${stories(20).map((s) => `#${s.ref}`).join(', ')} and 3 more)`);
  assert.deepEqual(storyIds(stories(3)), [98, 99, 100], 'sorted, so that the same stories give the same version');
});

test('the channel reads each era from its own source: 2026-07-28 from the request envelope (none: cannot ask), 2025 from initialize', () => {
  const server = (version: string | undefined, initialized?: object) => ({ getNegotiatedProtocolVersion: () => version, getClientCapabilities: () => initialized }) as unknown as Server;
  const ctx = (envelope?: object) => ({ mcpReq: { envelope, inputResponses: { a: 1 }, requestState: () => 'v1.x' } }) as unknown as ServerContext;
  const claims = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
  assert.deepEqual(confirmationChannel(server('2026-07-28'), ctx(claims)), { canAsk: true, answers: { a: 1 }, state: 'v1.x' });
  assert.equal(confirmationChannel(server('2026-07-28', { elicitation: {} }), ctx()).canAsk, false, 'a modern request without an envelope');
  assert.equal(confirmationChannel(server('2026-07-28', { elicitation: {} }), ctx({})).canAsk, false);
  assert.equal(confirmationChannel(server('2025-11-25'), ctx(claims)).canAsk, false, 'a 2025 request claiming it in _meta');
  assert.equal(confirmationChannel(server('2025-11-25', { elicitation: {} }), ctx()).canAsk, true);
  assert.equal(confirmationChannel(server(undefined, { elicitation: {} }), ctx(claims)).canAsk, true, 'no version negotiated: the 2025 source');
});

test('the state is sealed with a key of its own, derived apart from the Taiga tokens\' key, its associated data the digest of principal, tool and arguments', async () => {
  const { confirmations } = setup();
  const args = { user_story_id: '#12', project_id: 'project-1' };
  const { requestState } = await asked(confirmations, call(canAsk(), { args }));
  const binding = createHash('sha256').update(`alice\u0000delete_user_story\u0000${canonical(args)}`).digest('base64url');
  const opened = new TokenCipher(KEY, 'taiga-mcp confirmation').open(requestState!, binding);
  assert.ok(opened, 'opens with the confirmation key and this binding');
  assert.deepEqual(Object.keys(JSON.parse(opened) as object).sort(), ['e', 'n', 'w']);
  assert.equal(new TokenCipher(KEY).open(requestState!, binding), undefined, 'the token key does not open it');
});
