import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CLI, errorOf, dataOf, startHarness } from '../helpers/stdio-harness.js';

// A server whose installation changed under it (an upgrade, a partial install): the chunk it loads
// at the first Taiga request is gone. That is this server's fault, never "Could not reach Taiga".
test('a chunk that cannot be loaded is INTERNAL, logged with its cause, and loaded once it is back', { timeout: 60_000 }, async () => {
  // A copy of the bin and the chunks beside it (the build's own stay as they are).
  const core = join(mkdtempSync(join(tmpdir(), 'taiga-mcp-broken-')), 'core');
  cpSync(dirname(CLI), core, { recursive: true });
  const chunk = readdirSync(core).find((name) => /^taiga-mcp-undici-.+\.mjs$/.test(name));
  assert.ok(chunk, 'the build puts undici, loaded at the first Taiga request, in a chunk of its own');
  const h = await startHarness({ bin: join(core, basename(CLI)), env: { LOG_LEVEL: 'info' } });
  try {
    renameSync(join(core, chunk), join(core, `${chunk}.old`));
    for (let i = 0; i < 2; i++) {
      const err = errorOf(await h.call('list_projects'));
      assert.equal(err.code, 'INTERNAL', JSON.stringify(err));
      assert.match(err.message, /could not load its HTTP client/);
      assert.doesNotMatch(JSON.stringify(err), /reach Taiga|ERR_MODULE_NOT_FOUND|undici|\/tmp\//);
    }
    // stderr arrives on its own pipe: wait for both lines.
    const logged = () => h.stderr().split('\n').filter((line) => line.includes('"tool call failed unexpectedly"'));
    for (let i = 0; i < 100 && logged().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(logged().length === 2 && logged().every((line) => line.includes(chunk)), `the log names the missing file:\n${h.stderr()}`);
    // Back in place: the next call loads it (a failed load is not kept).
    renameSync(join(core, `${chunk}.old`), join(core, chunk));
    assert.ok(dataOf<{ items: unknown[] }>(await h.call('list_projects')).items.length > 0);
  } finally {
    await h.close();
  }
});
