import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';
import { ATTEMPTS, FAULTS, type FaultCase } from './support/faults.js';
import { CELLS, sentTo, type Cell } from './support/matrix-cells.js';
import { structuredError } from './support/results.js';

/**
 * Every kind of tool × every fault the emulator can make, counted on the emulator: the right
 * code, reads retried and writes never, no write sent twice, and a write Taiga may have applied
 * reported as such (details.outcome_unknown; `unknown` for a bulk item).
 */
let h: Harness;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-faults-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ taiga: { retries: ATTEMPTS } }));
  h = await startHarness({
    env: { TAIGA_TOOLSETS: 'all', TAIGA_MCP_CONFIG: join(dir, 'config.json'), REQUEST_TIMEOUT: '1', LOG_LEVEL: 'warn', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' },
  });
});
after(async () => h.close());

type Batch = { results: Array<{ status: string; error?: { code: string } }> };

function checkRead(cell: Cell, fault: FaultCase, result: CallToolResult, sent: number[], where: string): void {
  if (cell.role === 'read once' && fault.readAttempts > 1) {
    assert.equal(result.isError, undefined, `${where}: a read met the fault once, then its retry succeeded`);
    assert.equal(sent.length, 2, `${where}: tried twice (statuses ${sent.join(', ')})`);
    return;
  }
  assert.equal(structuredError(result, where).code, fault.code, where);
  assert.equal(sent.length, cell.role === 'read' ? fault.readAttempts : 1, `${where}: attempts (statuses ${sent.join(', ')})`);
}

function checkWrite(cell: Cell, fault: FaultCase, result: CallToolResult, sent: number[], where: string): void {
  assert.equal(sent.length, 1, `${where}: a write is sent exactly once (statuses ${sent.join(', ')})`);
  if (fault.spareEmpty && cell.emptyAnswer) {
    assert.equal(result.isError, undefined, `${where}: an answer without a body arrived whole`);
    return;
  }
  const error = structuredError(result, where);
  assert.equal(error.code, fault.code, where);
  assert.equal(error.details?.['outcome_unknown'], fault.uncertain ? true : undefined, `${where}: outcome_unknown`);
}

function checkBulk(cell: Cell, fault: FaultCase, result: CallToolResult, where: string): void {
  assert.equal(result.isError, undefined, `${where}: a bulk call reports per item`);
  const items = (result.structuredContent as Batch).results;
  const hit = fault.uncertain ? 'unknown' : 'failed';
  const expected = cell.role === 'bulk update' ? ['done', hit, 'not_attempted'] : [hit, 'not_attempted'];
  assert.deepEqual(items.map((r) => r.status), expected, where);
  assert.equal(items[expected.indexOf(hit)]!.error?.code, fault.code, where);
  const writes = cell.role === 'bulk update' ? [4, 5, 6].map((id) => sentTo(h.emulator, 'PATCH', new RegExp(`^/api/v1/issues/${id}$`)).length) : [sentTo(h.emulator, 'POST', cell.match).length];
  assert.deepEqual(writes, cell.role === 'bulk update' ? [1, 1, 0] : [1], `${where}: each item written at most once, none after the fault`);
}

async function runCell(cell: Cell, fault: FaultCase): Promise<void> {
  const where = `${cell.name} × ${fault.name}`;
  fault.arm(h.emulator.knobs, cell.role === 'read' ? fault.readAttempts : 1, { method: cell.method, match: cell.match });
  const result = await h.call(cell.tool, cell.args);
  const sent = sentTo(h.emulator, cell.method, cell.match).map((r) => r.status);
  if (cell.role === 'read' || cell.role === 'read once') checkRead(cell, fault, result, sent, where);
  else if (cell.role === 'write') checkWrite(cell, fault, result, sent, where);
  else checkBulk(cell, fault, result, where);
}

for (const fault of FAULTS) {
  test(`every kind of tool × ${fault.name}`, async () => {
    // Fresh seed data per fault; a first call takes the session past the reset's new tokens.
    h.emulator.reset();
    assert.equal((await h.call('list_projects', {})).isError, undefined);
    // Every cell ends before the round is judged: a cell still running would spill into the next round.
    const outcomes = await Promise.allSettled(CELLS.map((cell) => runCell(cell, fault)));
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed.length > 0) throw failed[0]!.reason;
    const story = (await asTeammate(h.emulator, 'GET', '/userstories/3')).body as { subject: string };
    assert.equal(story.subject === 'Changed while Taiga failed', fault.handled, 'the update landed exactly when Taiga handled it');
    const writes = h.emulator.writes().map((w) => `${w.method} ${w.path} ${JSON.stringify(w.body)}`);
    assert.deepEqual(writes.filter((w, i) => writes.indexOf(w) !== i), [], 'no write sent twice');
  });
}
