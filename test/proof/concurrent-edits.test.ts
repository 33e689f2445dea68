import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import type { Harness } from '../helpers/stdio-harness.js';
import { EDITED, assertNoLostUpdate, type Edited, type Start, type Success } from './support/edited-objects.js';
import { closeFleet, startFleet } from './support/fleet.js';
import { structuredError } from './support/results.js';

/**
 * Twenty teammates, each with their own server process, edit the same story, task and wiki page
 * at once, with and without `version`. Taiga's side (the emulator's history and the PATCHes it
 * accepted) must show zero lost updates: every success is in the history, in one chain, and no
 * write based on a stale read went through. A refusal is VERSION_CONFLICT, never anything else.
 */
const CLIENTS = 20;
let emulator: Emulator;
let fleet: Harness[];

before(async () => {
  emulator = await startEmulator();
  fleet = await startFleet(emulator, CLIENTS, { TAIGA_TOOLSETS: 'all', LOG_LEVEL: 'warn', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' });
  // A little latency on every request, so that reads and writes of different clients interleave.
  emulator.knobs.latencyMs = 5;
});
after(async () => {
  await closeFleet(fleet ?? []);
  await emulator?.close();
});

const data = (result: CallToolResult): Record<string, unknown> => result.structuredContent as Record<string, unknown>;

async function startOf(object: Edited): Promise<Start> {
  const read = await fleet[0]!.call(object.get.tool, object.get.args);
  assert.ok(!read.isError, JSON.stringify(read.content));
  return { version: data(read)['version'] as number, entries: emulator.history(object.history, object.id).length, text: data(read)[object.field] as string };
}

/** The outcome of each client's edit; refusals are checked to be VERSION_CONFLICT. */
async function editAll(object: Edited, withVersion: boolean, round: string): Promise<Success[]> {
  const outcomes = await Promise.all(
    fleet.map(async (client, i) => {
      const text = `${round} by client ${i}`;
      let version: number | undefined;
      if (withVersion) {
        const read = await client.call(object.get.tool, object.get.args);
        assert.ok(!read.isError, JSON.stringify(read.content));
        version = data(read)['version'] as number;
      }
      const { tool, args } = object.update(text, version);
      const result = await client.call(tool, args);
      if (result.isError) {
        assert.equal(structuredError(result, `${object.name} client ${i}`).code, 'VERSION_CONFLICT');
        return undefined;
      }
      const saved = data(result)['version'] as number;
      assert.equal(data(result)[object.field], text, `${object.name} client ${i}: the answer shows what it wrote`);
      if (version !== undefined) assert.equal(saved, version + 1, `${object.name} client ${i}: saved on top of the version it read`);
      return { text, saved };
    }),
  );
  return outcomes.filter((o): o is Success => o !== undefined);
}

for (const object of EDITED) {
  for (const withVersion of [true, false]) {
    const mode = withVersion ? 'each with the version it read' : 'without a version';
    test(`${CLIENTS} clients edit one ${object.name} at once, ${mode}: no update is lost`, async () => {
      const start = await startOf(object);
      const successes = await editAll(object, withVersion, `${object.name} ${mode}`);
      assert.ok(successes.length >= 1, 'at least one edit went through');
      assertNoLostUpdate(emulator, object, start, successes);
      const final = await startOf(object);
      const last = successes.reduce((a, b) => (a.saved > b.saved ? a : b));
      assert.deepEqual([final.version, final.text], [last.saved, last.text], `${object.name}: what Taiga holds is the last success`);
    });
  }
}
