import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let started: Promise<string> | undefined;

/**
 * The Redis the tests use: REDIS_URL when set (CI starts one), else a throwaway redis-server on a
 * free loopback port, started once per test process and killed when it exits. With neither, the
 * tests that need Redis fail (they never skip): a green run without Redis would prove nothing.
 */
export function testRedisUrl(): Promise<string> {
  started ??= locate();
  return started;
}

async function locate(): Promise<string> {
  const given = process.env['REDIS_URL'];
  if (given) {
    const { hostname, port } = new URL(given);
    if (!(await pings(hostname || '127.0.0.1', Number(port || 6379), 3000))) throw new Error(`REDIS_URL is set but no Redis answers there`);
    return given;
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('these tests need Redis: set REDIS_URL, or put redis-server on PATH (apt-get install -y redis-server)');
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawnRedis(port);
    if (await pings('127.0.0.1', port, 5000)) {
      process.once('exit', () => child.kill('SIGKILL'));
      child.unref();
      return `redis://127.0.0.1:${port}`;
    }
    child.kill('SIGKILL'); // the port was taken meanwhile: try another
  }
  throw new Error('could not start redis-server on a free loopback port');
}

/** A test Redis served over TLS only: its certificate (for 127.0.0.1) and the CA that signed it, which clients trust. */
export interface RedisTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** The redis-server arguments that serve `port`: plain, or TLS only (no client certificate asked). */
export function listenArgs(port: number, tls?: RedisTls): string[] {
  if (!tls) return ['--port', String(port)];
  return ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no'];
}

/** redis-cli's TLS arguments (trusting the CA) for a Redis that has TLS; none for one that has not. */
export function cliTls(tls?: RedisTls): string[] {
  return tls ? ['--tls', '--cacert', tls.caFile] : [];
}

/** redis-cli's arguments to reach the Redis at `port` on loopback. */
export function cliArgs(port: number, tls?: RedisTls): string[] {
  return ['-h', '127.0.0.1', '-p', String(port), ...cliTls(tls)];
}

/** A redis-server that keeps nothing on disk, reachable only from this machine. */
export function spawnRedis(port: number, dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-redis-')), tls?: RedisTls, extra: string[] = []): ChildProcess {
  return spawn('redis-server', [...listenArgs(port, tls), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning', ...extra], { stdio: 'ignore' });
}

/** A port that was free a moment ago (redis-server needs a concrete one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether a Redis answers PING at host:port within `withinMs` (over TLS, trusting its CA, when given). */
export async function pings(host: string, port: number, withinMs: number, tls?: RedisTls): Promise<boolean> {
  const until = Date.now() + withinMs;
  const ca = tls && readFileSync(tls.caFile);
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const ping = () => socket.write('PING\r\n');
      const socket = ca ? connectTls({ host, port, ca }, ping) : connect({ host, port }, ping);
      socket.setTimeout(500, () => socket.destroy());
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Resolves once the first replica of the Redis at `port` has every write the Redis has (so a failover loses none of them). */
export async function replicaCaughtUp(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const info = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'INFO', 'replication'], { encoding: 'utf8', timeout: 5000 }).stdout;
    const own = /master_repl_offset:(\d+)/.exec(info)?.[1];
    if (own !== undefined && new RegExp(`slave0:.*offset=${own},`).test(info)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the replica of the Redis on port ${port} did not catch up`);
}
