import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliArgs, freePort, listenArgs, pings, spawnRedis, type RedisTls } from './redis-server.js';

export interface TestSentinel {
  /** The master's name in the Sentinel configuration. */
  name: string;
  /** URLs of the Sentinels, as an operator would configure `store.sentinel.nodes`. */
  sentinelUrls: string[];
  /** The port of the master the Sentinel names now. */
  masterPort(): number;
  /** SIGKILLs the current master. */
  killMaster(): void;
  close(): void;
}

/**
 * A real Redis master, one replica and one Sentinel watching them (quorum 1) on loopback: a master
 * that is down for a second is failed over to the replica. All served over TLS only (and speaking
 * it to each other) when `tls` is given. Killed when the test process exits.
 */
export async function startSentinel({ tls }: { tls?: RedisTls } = {}): Promise<TestSentinel> {
  const cli = (port: number, ...args: string[]) => spawnSync('redis-cli', [...cliArgs(port, tls), ...args], { encoding: 'utf8', timeout: 5000 }).stdout.trim();
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('these tests need redis-server on PATH (apt-get install -y redis-server)');
  const name = 'taiga-mcp-test';
  const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  const children = new Map<number, ChildProcess>();
  const close = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', close);
  const replication = tls ? ['--tls-replication', 'yes'] : [];
  children.set(masterPort, spawnRedis(masterPort, undefined, tls, replication));
  children.set(replicaPort, spawnRedis(replicaPort, undefined, tls, [...replication, '--replicaof', '127.0.0.1', String(masterPort)]));
  // Sentinel rewrites its configuration file as it learns: it needs a file of its own.
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-sentinel-'));
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, [
    'bind 127.0.0.1', `dir ${dir}`,
    `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
    `sentinel down-after-milliseconds ${name} 1000`,
    `sentinel failover-timeout ${name} 5000`,
    `sentinel parallel-syncs ${name} 1`, '',
  ].join('\n'));
  children.set(sentinelPort, spawn('redis-server', [conf, '--sentinel', ...listenArgs(sentinelPort, tls), ...replication], { stdio: 'ignore' }));
  for (const port of [masterPort, replicaPort, sentinelPort]) {
    if (!(await pings('127.0.0.1', port, 5000, tls))) throw new Error(`a Redis of the Sentinel set-up did not start on port ${port}`);
  }
  for (const c of children.values()) c.unref();
  const sentinel: TestSentinel = {
    name,
    sentinelUrls: [`${tls ? 'rediss' : 'redis'}://127.0.0.1:${sentinelPort}`],
    masterPort: () => Number(cli(sentinelPort, 'SENTINEL', 'get-master-addr-by-name', name).split('\n')[1]),
    killMaster() {
      const port = sentinel.masterPort();
      children.get(port)?.kill('SIGKILL');
      children.delete(port);
    },
    close,
  };
  // Ready when the replica is in sync and the Sentinel knows it (it can then fail over to it).
  for (let i = 0; i < 200; i++) {
    const synced = /master_link_status:up/.test(cli(replicaPort, 'INFO', 'replication'));
    const known = /num-slaves\n1\b/.test(cli(sentinelPort, 'SENTINEL', 'master', name));
    if (synced && known) return sentinel;
    await sleep(50);
  }
  throw new Error('the Sentinel set-up did not settle');
}
