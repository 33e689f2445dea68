import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../core/logger.js';
import { backoffMs, connectRedis, type RedisConnection, type RedisTarget } from '../../core/sessions/redis-connection.js';
import { freePort, testRedisUrl } from '../helpers/redis-server.js';

// connectRedis on its own, against real redis-servers: what an operator reads in the log (one line
// per outage, not one per reconnection attempt), what a URL's credentials open, when a cluster is
// ready, and that a connection closed while it is still trying stops trying.

/** The messages logged, at debug level and above. */
function captured() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = createLogger('debug', new Writable({ write(chunk, _e, done) { lines.push(JSON.parse(String(chunk))); done(); } }));
  const count = (msg: string) => lines.filter((l) => l.msg.startsWith(msg)).length;
  return { logger, lines, count };
}

async function until(what: string, check: () => boolean | Promise<boolean>, withinMs = 20_000): Promise<void> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`never: ${what}`);
}

/**
 * A loopback port in front of a Redis: `pass` forwards, `drop` accepts each connection and closes
 * it at once (counting them: each is one attempt to reach Redis), `silent` keeps the connections
 * and forwards nothing (a frozen server).
 */
class Gate {
  mode: 'pass' | 'drop' | 'silent' = 'pass';
  dropped = 0;
  port = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: number) {}

  async open(port = 0): Promise<this> {
    this.server = createServer((client) => {
      if (this.mode === 'drop') {
        this.dropped += 1;
        client.destroy();
        return;
      }
      const upstream = connect({ host: '127.0.0.1', port: this.target });
      for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
        this.sockets.add(from);
        from.on('error', () => undefined);
        from.once('close', () => (this.sockets.delete(from), to.destroy()));
        from.on('data', (data) => void (this.mode === 'pass' && to.write(data)));
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  set(mode: Gate['mode']): void {
    this.mode = mode;
    if (mode === 'drop') for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const children: ChildProcess[] = [];
after(() => children.forEach((c) => c.kill('SIGKILL')));
const cli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '--user', 'alice', '--pass', 'p@ss w', '--no-auth-warning', ...args], { encoding: 'utf8', timeout: 5000 }).stdout.trim();

/**
 * A one-node Redis Cluster (it serves every slot) that only the user `alice` may use (its password
 * needs escaping in a URL); the default user has another password. Restartable on its port.
 */
async function oneNodeCluster() {
  const [port, busPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-cluster-'));
  let child: ChildProcess | undefined;
  const node = {
    port,
    async start() {
      child = spawn('redis-server', [
        '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning',
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--requirepass', 'not-alice', '--user', 'alice', 'on', '>p@ss w', '~*', '&*', '+@all',
      ], { stdio: 'ignore' });
      children.push(child);
      await until(`redis-server (cluster node) answers alice on port ${port}`, () => cli(port, 'PING') === 'PONG', 5000);
    },
    kill() {
      child?.kill('SIGKILL');
    },
    ok: () => cli(port, 'CLUSTER', 'INFO').includes('cluster_state:ok'),
  };
  await node.start();
  cli(port, 'CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  await until('the one-node cluster is ok', node.ok);
  return node;
}

async function connectWith(target: RedisTarget, logger: ReturnType<typeof captured>['logger'], over: { commandTimeoutMs?: number; connectTimeoutMs?: number } = {}): Promise<RedisConnection> {
  return connectRedis({ target, logger, commandTimeoutMs: 1000, connectTimeoutMs: 5000, ...over });
}

test('the wait before the next attempt to reach Redis doubles from 50 ms up to 2 s', () => {
  assert.deepEqual([0, 1, 2, 5, 6, 20].map(backoffMs), [50, 100, 200, 1600, 2000, 2000]);
});

test('one Redis: connected at start-up without a warning; each outage logged once, however many attempts it takes, and its end once', async () => {
  const redis = new URL(await testRedisUrl());
  const gate = await new Gate(Number(redis.port)).open();
  const log = captured();
  const conn = await connectWith({ url: `redis://127.0.0.1:${gate.port}` }, log.logger, { commandTimeoutMs: 300 });
  try {
    assert.equal(await conn.ping(), true);
    assert.equal(log.count('Redis not reachable at start-up'), 0);
    assert.equal(log.count('Redis reachable again'), 0, 'the first connection is no return');
    for (const outage of [1, 2]) {
      gate.set('drop');
      const seen = gate.dropped;
      await until('three attempts refused', () => gate.dropped >= seen + 3);
      assert.equal(log.count('Redis unreachable'), outage, 'one line per outage');
      gate.set('pass');
      await until('back', () => log.count('Redis reachable again') === outage);
      assert.equal(await conn.ping(), true);
    }
    // A server that stops answering (frozen) is an outage too: the silent connection is dropped.
    gate.set('silent');
    await until('the silent connection seen as an outage', () => log.count('Redis unreachable') === 3);
    gate.set('pass');
    await until('back after the silence', () => log.count('Redis reachable again') === 3);
    // Closing waits for what was sent: the write in flight is answered, not cut off.
    const key = `test:conn:${Date.now()}`;
    const written = conn.commands.set(key, 'v', { expiration: { type: 'PX', value: 60_000 } });
    await conn.close();
    assert.equal(await written, 'OK');
  } finally {
    await conn.close();
    await gate.close();
  }
});

test('one Redis not there at start-up: a warning, and the connection closes cleanly', async () => {
  const log = captured();
  const conn = await connectWith({ url: `redis://127.0.0.1:${await freePort()}` }, log.logger, { connectTimeoutMs: 200 });
  assert.equal(log.count('Redis not reachable at start-up'), 1);
  assert.equal(await conn.ping().catch(() => false), false);
  await conn.close();
});

test('a cluster: the user and password of the node URL open every node; ready only while the cluster serves all slots; an outage logged once and its end once', { timeout: 60_000 }, async () => {
  const node = await oneNodeCluster();
  const log = captured();
  const conn = await connectWith({ cluster: [`redis://alice:p%40ss%20w@127.0.0.1:${node.port}`] }, log.logger);
  try {
    assert.equal(log.count('Redis not reachable at start-up'), 0);
    assert.equal(await conn.commands.set('k', 'v', { expiration: { type: 'PX', value: 60_000 } }), 'OK');
    assert.equal(await conn.commands.get('k'), 'v');
    assert.equal(await conn.ping(), true);
    const keys: string[] = [];
    for await (const batch of conn.scan('k*')) keys.push(...batch);
    assert.deepEqual(keys, ['k']);
    cli(node.port, 'CLUSTER', 'DELSLOTS', '0');
    await until('the cluster says it fails', () => !node.ok());
    assert.equal(await conn.ping(), false, 'a slot nobody serves: not ready');
    cli(node.port, 'CLUSTER', 'ADDSLOTS', '0');
    await until('ok again', node.ok);
    assert.equal(await conn.ping(), true);
    assert.equal(log.count('Redis reachable again'), 0);
    node.kill();
    await until('the outage is seen', () => log.count('Redis unreachable') === 1);
    await sleep(500); // several reconnection attempts meanwhile
    await node.start();
    await until('back', () => log.count('Redis reachable again') === 1);
    assert.equal(log.count('Redis unreachable'), 1, 'one line for the whole outage');
  } finally {
    await conn.close();
    node.kill();
  }
});

test('a cluster none of whose nodes answers at start-up: a warning, tried again (logged once) until a node answers; closed, it stops trying', { timeout: 60_000 }, async () => {
  const node = await oneNodeCluster();
  const gate = await new Gate(node.port).open();
  gate.set('drop');
  const log = captured();
  const target = { cluster: [`redis://alice:p%40ss%20w@127.0.0.1:${gate.port}`] };
  const conn = await connectWith(target, log.logger, { connectTimeoutMs: 200 });
  try {
    assert.equal(log.count('Redis not reachable at start-up'), 1);
    await until('three attempts', () => gate.dropped >= 3);
    gate.set('pass');
    await until('connected in the background', () => conn.ping().catch(() => false));
    assert.equal(log.count('Redis: first connection failed'), 1, 'the retries are logged once');
  } finally {
    await conn.close();
  }
  gate.set('drop');
  const closing = await connectWith(target, captured().logger, { connectTimeoutMs: 200 });
  const before = gate.dropped;
  await until('an attempt', () => gate.dropped > before);
  await closing.close();
  const seen = gate.dropped;
  await sleep(1000); // longer than the next few waits between attempts
  assert.equal(gate.dropped, seen, 'no attempt after close');
  await gate.close();
  node.kill();
});

test('Sentinel: the password of the Sentinel URL opens the Sentinel and the master it names', { timeout: 60_000 }, async () => {
  const [masterPort, sentinelPort] = [await freePort(), await freePort()];
  const password = 's@cret:pw';
  const master = spawn('redis-server', ['--port', String(masterPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', mkdtempSync(join(tmpdir(), 'taiga-mcp-redis-')), '--requirepass', password], { stdio: 'ignore' });
  children.push(master);
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-sentinel-'));
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, [`port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${dir}`, `requirepass ${password}`, `sentinel monitor m 127.0.0.1 ${masterPort} 1`, `sentinel auth-pass m ${password}`, ''].join('\n'));
  const asked = (port: number, ...args: string[]) => spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '-a', password, '--no-auth-warning', ...args], { encoding: 'utf8', timeout: 5000 }).stdout.trim();
  await until('the master answers', () => asked(masterPort, 'PING') === 'PONG', 5000);
  children.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
  await until('the Sentinel names the master', () => asked(sentinelPort, 'SENTINEL', 'get-master-addr-by-name', 'm').endsWith(String(masterPort)), 10_000);
  const log = captured();
  const conn = await connectWith({ sentinel: { name: 'm', nodes: [`redis://:${encodeURIComponent(password)}@127.0.0.1:${sentinelPort}`] } }, log.logger);
  try {
    assert.equal(log.count('Redis not reachable at start-up'), 0);
    assert.equal(await conn.commands.set('k', 'v', { expiration: { type: 'PX', value: 60_000 } }), 'OK');
    assert.equal(asked(masterPort, 'GET', 'k'), 'v', 'written on the master');
    assert.equal(await conn.ping(), true);
  } finally {
    await conn.close();
  }
});
