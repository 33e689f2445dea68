import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CLI, ROOT, errorOf, dataOf, startHarness } from '../helpers/stdio-harness.js';

// A server whose installation changed under it (an upgrade, a partial install): what it loads at
// the first Taiga request is missing. That is this server's fault, never "Could not reach Taiga".
test('a module that cannot be loaded is INTERNAL, logged with its cause, and loaded again once it is back', { timeout: 60_000 }, async () => {
  // A copy of the bin (and the chunks beside it) with no node_modules above it: undici, which the
  // bundle leaves to node_modules and imports at the first request, cannot be found.
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-broken-'));
  cpSync(dirname(CLI), join(dir, 'core'), { recursive: true });
  const h = await startHarness({ bin: join(dir, 'core', basename(CLI)), env: { LOG_LEVEL: 'info' } });
  try {
    for (let i = 0; i < 2; i++) {
      const err = errorOf(await h.call('list_projects'));
      assert.equal(err.code, 'INTERNAL', JSON.stringify(err));
      assert.match(err.message, /could not load its HTTP client/);
      assert.doesNotMatch(JSON.stringify(err), /reach Taiga|ERR_MODULE_NOT_FOUND|undici/);
    }
    assert.match(h.stderr(), /"tool call failed unexpectedly".*Cannot find package 'undici'|Cannot find package 'undici'.*"tool call failed unexpectedly"/);
    // Installed again: the next call loads it (a failed load is not kept).
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    assert.ok(dataOf<{ items: unknown[] }>(await h.call('list_projects')).items.length > 0);
  } finally {
    await h.close();
  }
});
