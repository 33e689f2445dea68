import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processes, reap, strays, type Proc } from './reap.js';

const SANDBOX = '/work/x/.stryker-tmp';
const proc = (pid: number, ppid: number, cmdline: string, cwd = '/'): Proc => ({ pid, ppid, cmdline, cwd });

test('strays: what runs from the sandbox, by working directory or command line; orphans only when asked', () => {
  const all = [
    proc(10, 1, 'node dist/core/taiga-mcp.mjs --http 0', `${SANDBOX}/sandbox-1`),
    proc(11, 1, `node ${SANDBOX}/sandbox-1/dist/core/taiga-mcp.mjs`),
    proc(12, 99, 'node x.test.js', `${SANDBOX}/sandbox-1`),
    proc(13, 1, 'node dist/core/taiga-mcp.mjs', '/work/x'),
    proc(14, 1, 'redis-server', '/work/x/.stryker-tmp-other'),
    proc(15, 1, 'node', SANDBOX),
  ];
  assert.deepEqual(strays(all, SANDBOX, true, 0).map((p) => p.pid), [10, 11, 15]);
  assert.deepEqual(strays(all, SANDBOX, false, 0).map((p) => p.pid), [10, 11, 12, 15]);
  assert.deepEqual(strays(all, SANDBOX, false, 12).map((p) => p.pid), [10, 11, 15], 'never itself');
});

test('reap stops a process running in the sandbox and leaves the others', async () => {
  const sandbox = mkdtempSync(join(tmpdir(), 'reap-'));
  const inside = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd: sandbox, stdio: 'ignore' });
  const outside = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(processes().some((p) => p.pid === inside.pid && p.ppid === process.pid), 'parent read from /proc');
    assert.equal(reap(sandbox, true), 0, 'not an orphan: its parent (this test) lives');
    const exited = new Promise((r) => inside.once('exit', (_code, signal) => r(signal)));
    assert.equal(reap(sandbox, false), 1);
    assert.equal(await exited, 'SIGKILL');
    assert.equal(outside.exitCode, null);
  } finally {
    inside.kill('SIGKILL');
    outside.kill('SIGKILL');
    rmSync(sandbox, { recursive: true, force: true });
  }
});
