import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { createTestClient, dataOf, errorOf, type TestElicitation } from '../../core/testing/index.js';
import { definePlugin, defineTool } from '../../core/plugin/define.js';
import { deleteItem, USER_STORY_TARGET } from '../../core/work-items/index.js';
import { runHandler } from '../../core/pipeline/handler.js';
import { createLogger } from '../../core/logger.js';
import { translateError } from '../../core/pipeline/translate-error.js';
import { compose } from '../../core/pipeline/compose.js';
import type { ToolCall } from '../../core/pipeline/types.js';

// What a third-party plugin gets: a destructive tool that never heard of confirmations is asked
// about before it runs; one that asks in its handler is asked once; the test kit can answer.

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => emulator.close());

const DESTRUCTIVE = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };
let runs = 0;

const deleteEntry = defineTool({
  name: 'acme_delete_entry',
  title: 'Delete time entry',
  description: 'Delete a time entry.',
  input: v.strictObject({ entry_id: v.number(), note: v.optional(v.pipe(v.string(), v.maxLength(200))) }),
  output: v.object({ deleted: v.number() }),
  annotations: DESTRUCTIVE,
  async handler({ entry_id }) {
    runs += 1;
    return { deleted: entry_id };
  },
});

/** Written before confirmations: not declared, yet deleteItem asks in its handler too. */
const purgeStory = defineTool({
  name: 'acme_purge_story',
  title: 'Purge story',
  description: 'Delete a user story.',
  input: v.strictObject({ story: v.pipe(v.string(), v.maxLength(20)), project_id: v.pipe(v.string(), v.maxLength(50)) }),
  output: v.object({ id: v.number() }),
  annotations: DESTRUCTIVE,
  async handler({ story, project_id }, ctx) {
    const item = await deleteItem(ctx, { ...USER_STORY_TARGET, historyType: 'userstory', boardFields: [] }, { value: story, project: project_id });
    return { id: item['id'] as number };
  },
});

const plugin = definePlugin({ name: 'acme', version: '1.0.0', core: '^1.1.0', toolset: { id: 'acme', description: 'acme', default: true }, tools: [deleteEntry, purgeStory] });

async function client(elicitation?: TestElicitation) {
  const questions: string[] = [];
  const answer: { next: Awaited<ReturnType<TestElicitation>> } = { next: { action: 'decline' } };
  const c = await createTestClient({
    plugins: [plugin],
    config: { taiga: { url: emulator.url, allowHttp: true, username: 'admin', password: 'taigaadmin' } },
    elicitation: elicitation ?? ((request) => (questions.push(request.message), answer.next)),
  });
  return { c, questions, answer };
}

test('a destructive tool that does not ask in its handler is asked about before it runs, from its arguments', async () => {
  const { c, questions, answer } = await client();
  try {
    runs = 0;
    const declined = errorOf(await c.call('acme_delete_entry', { entry_id: 5, note: 'typo\u202E' }));
    assert.equal(declined.code, 'DECLINED');
    assert.equal(runs, 0, 'the handler never ran');
    assert.deepEqual(questions, ['Delete time entry (acme_delete_entry) with entry_id "5", note "typo"?']);
    answer.next = { action: 'accept', content: { confirm: true } };
    assert.deepEqual(dataOf(await c.call('acme_delete_entry', { entry_id: 5 })), { deleted: 5 });
    assert.equal(runs, 1, 'once, after the yes');
  } finally {
    await c.close();
  }
});

test('one yes per call: a handler that asks again after the stage asked is not asked a second question', async () => {
  const { c, questions, answer } = await client();
  try {
    answer.next = { action: 'accept', content: { confirm: true } };
    const writes = emulator.totalWrites;
    assert.equal(dataOf(await c.call('acme_purge_story', { story: '#1', project_id: 'project-1' }))['id'], 1);
    assert.equal(emulator.totalWrites - writes, 1);
    assert.deepEqual(questions, ['Purge story (acme_purge_story) with story "#1", project_id "project-1"?']);
  } finally {
    await c.close();
  }
});

test('the test kit without elicitation: its client cannot ask, so under "ask" destructive tools run as before', async () => {
  const c = await createTestClient({ plugins: [plugin], config: { taiga: { url: emulator.url, allowHttp: true, username: 'admin', password: 'taigaadmin' } } });
  try {
    runs = 0;
    assert.deepEqual(dataOf(await c.call('acme_delete_entry', { entry_id: 7 })), { deleted: 7 });
    assert.equal(runs, 1);
  } finally {
    await c.close();
  }
});

test('a handler run without the confirm stage (a call built by hand) cannot confirm: INTERNAL, and nothing after it runs', async () => {
  let wrote = false;
  const tool = defineTool({
    ...deleteEntry,
    async handler(_args, ctx) {
      await ctx.confirm({ message: 'Delete?' });
      wrote = true;
      return { deleted: 1 };
    },
  });
  const call = { tool, args: {}, rawArgs: {}, audit: {}, requestId: 'r', signal: new AbortController().signal } as unknown as ToolCall;
  await compose([translateError(), runHandler({ logger: createLogger('silent') })])(call);
  assert.equal(wrote, false);
  assert.equal(JSON.parse((call.result!.content[0] as { text: string }).text).error.code, 'INTERNAL');
});
