import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, type Harness } from '../helpers/stdio-harness.js';
import { mutated } from './support/mutations.js';
import { Oracle } from './support/oracle.js';
import { structuredError } from './support/results.js';
import { valid, type Json, type JsonSchema } from './support/schema-values.js';
import { fuzzSettings, printable } from './support/fuzz-settings.js';

/**
 * Every tool's input, generated from the schema it advertises and then mutated, sent to the built
 * server over stdio: never a crash or INTERNAL, every error the documented payload, and nothing
 * written to Taiga for an input the server must refuse.
 */
const { seed, runs, only } = fuzzSettings('FUZZ_TOOLS', 10);

let h: Harness;
let tools: Tool[];
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000', LOG_LEVEL: 'warn' } });
  tools = (await h.client.listTools()).tools;
});
after(async () => h.close());

interface Input {
  value: Json;
  labels: string[];
}

function inputs(schema: JsonSchema): fc.Arbitrary<Input> {
  return fc.oneof({ arbitrary: valid(schema).map((value) => ({ value, labels: ['as generated'] })), weight: 1 }, { arbitrary: mutated(schema), weight: 2 }).map(printable);
}

async function callOnce(tool: Tool, oracle: Oracle, input: Input): Promise<void> {
  // What the server receives: JSON has no undefined, NaN or -0.
  const args = JSON.parse(JSON.stringify(input.value)) as Record<string, unknown>;
  const refuse = oracle.mustRefuse(args as Json);
  const where = `${tool.name} (${input.labels.join('; ')})`;
  const writes = h.emulator.totalWrites;
  const result = await h.call(tool.name, args);
  const written = h.emulator.totalWrites - writes;
  if (refuse !== undefined) {
    const error = structuredError(result, `${where}, must refuse: ${refuse}`);
    const allowed = 'session_id' in args ? ['INVALID_INPUT', 'SESSION_INVALID'] : ['INVALID_INPUT'];
    assert.ok(allowed.includes(error.code), `${where}: ${error.code} (${error.message}) for an input to refuse (${refuse})`);
    assert.equal(written, 0, `${where}: ${written} write(s) reached Taiga for an input to refuse (${refuse})`);
    return;
  }
  if (!result.isError) return;
  const error = structuredError(result, where);
  assert.notEqual(error.code, 'INTERNAL', `${where}: INTERNAL (${error.message})`);
  if (error.code === 'INVALID_INPUT') assert.equal(written, 0, `${where}: INVALID_INPUT, yet ${written} write(s) reached Taiga`);
}

test('every tool, fed its own schema mutated: no crash, no INTERNAL, no write for what must be refused', async (t) => {
  assert.ok(tools.length > 70, 'every toolset is on');
  for (const [i, tool] of tools.entries()) {
    if (only && !only.test(tool.name)) continue;
    await t.test(tool.name, async () => {
      // Each tool starts from the seed data: an earlier tool may have deleted what this one needs.
      h.emulator.reset();
      const oracle = new Oracle(tool.inputSchema as JsonSchema);
      await fc.assert(
        fc.asyncProperty(inputs(tool.inputSchema as JsonSchema), (input) => callOnce(tool, oracle, input)),
        { seed: seed + i, numRuns: runs, includeErrorInReport: true },
      );
      await h.client.ping();
    });
  }
});
