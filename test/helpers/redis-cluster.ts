import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliArgs, cliTls, freePort, listenArgs, pings, type RedisTls } from './redis-server.js';

/** One redis-server of a test cluster; the same port and directory (its nodes.conf) across restarts. */
export class ClusterNode {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly busPort: number,
    private readonly dir: string,
    private readonly tls?: RedisTls,
  ) {}

  get url(): string {
    return `${this.tls ? 'rediss' : 'redis'}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = [...listenArgs(this.port, this.tls), '--cluster-port', String(this.busPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--loglevel', 'warning'];
    // A second without an answer and a node is failed, and its replica takes over: failovers within a test's time.
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000');
    // With TLS, the nodes speak it to each other too (the bus and replication).
    if (this.tls) args.push('--tls-cluster', 'yes', '--tls-replication', 'yes');
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    child.unref();
    if (!(await pings('127.0.0.1', this.port, 5000, this.tls))) throw new Error(`redis-server (cluster node) did not start on port ${this.port}`);
  }

  /** Dead: the process is gone (connections refused). */
  kill(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  /** Frozen: the process holds its port and its connections, and answers nothing. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Runs one redis-cli command against this node. */
  cli(...args: string[]): string {
    const out = spawnSync('redis-cli', [...cliArgs(this.port, this.tls), ...args], { encoding: 'utf8', timeout: 5000 });
    return out.stdout.trim();
  }
}

export interface TestCluster {
  nodes: ClusterNode[];
  /** A few node URLs, as an operator would configure `store.cluster`. */
  rootUrls: string[];
  /** The node that is master of `key`'s slot now (asked of a live node). */
  masterOf(key: string): ClusterNode;
  /** Resolves once every live node says the cluster is ok and agrees on `masters` masters. */
  settled(withinMs?: number): Promise<void>;
  close(): void;
}

/**
 * A real Redis Cluster on loopback: `masters` masters, each with `replicasEach` replicas
 * (`redis-cli --cluster create … --cluster-yes`), served over TLS only when `tls` is given.
 * Killed when the test process exits.
 */
export async function startCluster({ masters = 3, replicasEach = 1, tls }: { masters?: number; replicasEach?: number; tls?: RedisTls } = {}): Promise<TestCluster> {
  if (spawnSync('redis-server', ['--version']).status !== 0 || spawnSync('redis-cli', ['--version']).status !== 0) {
    throw new Error('these tests need redis-server and redis-cli on PATH (apt-get install -y redis-server)');
  }
  const nodes: ClusterNode[] = [];
  const used = new Set<number>();
  const port = async () => {
    for (;;) {
      const p = await freePort();
      if (!used.has(p)) return used.add(p), p;
    }
  };
  for (let i = 0; i < masters * (1 + replicasEach); i++) nodes.push(new ClusterNode(await port(), await port(), mkdtempSync(join(tmpdir(), 'taiga-mcp-cluster-')), tls));
  const close = () => nodes.forEach((n) => n.kill());
  process.once('exit', close);
  await Promise.all(nodes.map((n) => n.start()));
  const create = spawnSync('redis-cli', [...cliTls(tls), '--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(replicasEach), '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
  if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout.slice(-500)}${create.stderr.slice(-500)}`);
  const live = () => nodes.filter((n) => n.cli('PING') === 'PONG');
  const cluster: TestCluster = {
    nodes,
    rootUrls: nodes.slice(0, 3).map((n) => n.url),
    masterOf(key) {
      const asked = live()[0]!;
      const slot = Number(asked.cli('CLUSTER', 'KEYSLOT', key));
      for (const line of asked.cli('CLUSTER', 'NODES').split('\n')) {
        const [, address, flags, , , , , state, ...ranges] = line.split(' ');
        if (!flags?.includes('master') || flags.includes('fail') || state !== 'connected') continue;
        for (const range of ranges) {
          const [from, to = from] = range.split('-').map(Number);
          if (slot >= from! && slot <= to!) return nodes.find((n) => address!.startsWith(`127.0.0.1:${n.port}@`))!;
        }
      }
      throw new Error(`no live master serves slot ${slot}`);
    },
    async settled(withinMs = 20_000) {
      const until = Date.now() + withinMs;
      while (Date.now() < until) {
        const here = live();
        const ok = here.every((n) => n.cli('CLUSTER', 'INFO').includes('cluster_state:ok'));
        const mastersSeen = here.map((n) => n.cli('CLUSTER', 'NODES').split('\n').filter((l) => / master /.test(l.replace(/,/g, ' ')) && !/fail/.test(l) && / connected \d/.test(l)).length);
        if (ok && mastersSeen.every((m) => m === masters)) return;
        await sleep(100);
      }
      throw new Error('the test cluster did not settle');
    },
    close,
  };
  await cluster.settled();
  return cluster;
}

let shared: Promise<TestCluster> | undefined;

/** One cluster per test process, for the suites that do not kill its nodes. */
export function testCluster(): Promise<TestCluster> {
  shared ??= startCluster();
  return shared;
}
