import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { freePort } from '../helpers/redis-server.js';
import { CLI, ROOT } from '../helpers/stdio-harness.js';
import { modernHttpClient, rawRequest } from '../helpers/http-server.js';
import { USER_ENV } from '../helpers/installed-package.js';

// examples/deploy/start.sh run as the README says (demo Taiga, Redis, two instances, nginx), on
// ports of this run: an instance killed with SIGKILL leaves the deployment serving, and only
// stopping the script stops it, with everything it started.
const SCRIPT = join(ROOT, 'examples', 'deploy', 'start.sh');

/** pid → parent pid and command line, of every process now (Linux /proc). */
function processes(): Map<number, { ppid: number; state: string; argv: string[] }> {
  const all = new Map<number, { ppid: number; state: string; argv: string[] }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields after it start past the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(name), { ppid: Number(ppid), state: state!, argv: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean) });
    } catch {
      // it ended while being read
    }
  }
  return all;
}

function descendants(root: number): Map<number, string[]> {
  const all = processes();
  const found = new Map<number, string[]>();
  const visit = (pid: number) => {
    for (const [child, p] of all) {
      if (p.ppid !== pid || found.has(child)) continue;
      found.set(child, p.argv);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Running, as opposed to ended (gone, or a zombie no one has reaped yet). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, log: () => string, withinMs = 60_000): Promise<void> {
  for (const started = Date.now(); !(await check()); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() - started > withinMs) assert.fail(`${what}: not within ${withinMs} ms\n${log().slice(-3000)}`);
  }
}

const healthy = async (port: number): Promise<boolean> => (await rawRequest(`http://127.0.0.1:${port}/healthz`, { method: 'GET' }).catch(() => undefined))?.status === 200;

test('start.sh: kill -9 one instance and the deployment still answers through nginx; SIGTERM stops all it started', { timeout: 180_000 }, async () => {
  const [lb, a, b, redis, demo, opsA, opsB, prometheus] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const tmp = mkdtempSync(join(tmpdir(), 'taiga-mcp-deploy-'));
  const env = { ...USER_ENV, PATH: `${USER_ENV['PATH'] ?? ''}:/usr/sbin`, TMPDIR: tmp, LB_PORT: String(lb), INSTANCE_PORTS: `${a} ${b}`, REDIS_PORT: String(redis), DEMO_TAIGA_PORT: String(demo), OPS_PORTS: `${opsA} ${opsB}`, PROMETHEUS_PORT: String(prometheus) };
  // Its own process group: should the script fail to stop what it started, the test still can.
  const script = spawn(SCRIPT, [], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  script.stdout.on('data', (c: Buffer) => (out += c.toString()));
  script.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((done) => script.once('exit', (code) => done(code)));
  const log = () => out;
  try {
    await until('the script printed its key', () => /key for principal alice: \S+/.test(out) || script.exitCode !== null, log);
    const key = /key for principal alice: (\S+)/.exec(out)?.[1];
    assert.ok(key, `the script stopped before it was up:\n${out.slice(-3000)}`);
    await until('both instances, their ops listeners and nginx are up', async () => (await healthy(a)) && (await healthy(b)) && (await healthy(opsA)) && (await healthy(opsB)) && (await healthy(lb)), log);

    const started = descendants(script.pid!);
    const instance = (port: number) => [...started].find(([, argv]) => argv.includes(`127.0.0.1:${port}`) && argv.includes('--http'))?.[0];
    const [pidA, pidB] = [instance(a), instance(b)];
    assert.ok(pidA && pidB, `two instances among ${JSON.stringify([...started.values()])}`);
    // What it runs is the package's bin, as package.json names it.
    for (const pid of [pidA, pidB]) assert.equal(resolve(started.get(pid)![1]!), CLI);
    // (redis-server and nginx rewrite their command lines)
    // Prometheus too: `.ci/run` installs it, and start.sh runs it when installed.
    for (const [what, runs] of [['redis-server', `:${redis}`], ['demo-taiga', String(demo)], ['nginx: master', 'nginx.conf'], ['prometheus', `127.0.0.1:${prometheus}`]]) {
      assert.ok([...started.values()].some((argv) => argv.join(' ').includes(what!) && argv.join(' ').includes(runs!)), `${what} runs: ${JSON.stringify([...started.values()])}`);
    }

    const client = await modernHttpClient(`http://127.0.0.1:${lb}/mcp`, key);
    try {
      const login = (await client.callTool({ name: 'login', arguments: { username: 'user8', password: '123123' } })) as CallToolResult;
      const sessionId = (login.structuredContent as { session_id: string }).session_id;
      assert.ok(sessionId, JSON.stringify(login.content));
      process.kill(pidA, 'SIGKILL');
      await until('the killed instance ended', () => !alive(pidA), log);
      // Long enough for a script that stops everything when one instance dies to have done it.
      for (let i = 0; i < 10; i++) {
        const result = (await client.callTool({ name: 'list_projects', arguments: { session_id: sessionId } })) as CallToolResult;
        assert.ok(!result.isError, `call ${i} after the kill: ${JSON.stringify(result.content).slice(0, 300)}\n${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(script.exitCode, null, `the script is still running:\n${out.slice(-2000)}`);
      for (const pid of started.keys()) if (pid !== pidA) assert.ok(alive(pid), `${started.get(pid)!.join(' ')} still runs`);
    } finally {
      await client.close();
    }

    script.kill('SIGTERM');
    assert.equal(await exited, 143, 'SIGTERM ends the script');
    for (const [pid, argv] of started) assert.equal(alive(pid), false, `${argv.join(' ')} was stopped with the script`);
    assert.equal(await healthy(lb), false, 'nothing listens on the deployment port');
    assert.deepEqual(readdirSync(tmp), [], 'its working folder is removed');
  } finally {
    if (script.exitCode === null && script.signalCode === null) script.kill('SIGKILL');
    try {
      process.kill(-script.pid!, 'SIGKILL');
    } catch {
      // the group is empty: everything ended
    }
  }
});
