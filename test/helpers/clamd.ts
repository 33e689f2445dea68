import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';

/** The EICAR test file, put together here so that no file of the repository is itself a "virus". */
export const EICAR = Buffer.from(['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-', 'TEST-FILE!$H+H*'].join(''));
/** A whole file the database knows by its MD5 (an `.hdb` signature), whatever its name. */
export const HASHED = Buffer.from('taiga-mcp test: a file clamd knows by its hash\n');
/** The names clamd gives them: signatures from a database it does not know as official end in `.UNOFFICIAL`. */
export const EICAR_SIGNATURE = 'TaigaMcp.Test.EICAR.UNOFFICIAL';
export const HASHED_SIGNATURE = 'TaigaMcp.Test.Hashed.UNOFFICIAL';

export interface Clamd {
  /** `127.0.0.1:port`, as `plugins.options.attachments.scan.clamd` takes it. */
  tcp: string;
  /** Its unix socket's path. */
  socket: string;
  /** Everything clamd logged (its log file). */
  log(): string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function clamdBinary(): string {
  for (const candidate of ['clamd', '/usr/sbin/clamd']) if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  throw new Error('these tests need clamd: apt-get install -y --no-install-recommends clamav-daemon (.ci/run installs it)');
}

/**
 * A real clamd (Debian's clamav-daemon) on a free loopback port and a unix socket, with a database
 * made here (signature downloads are impossible in the tests, and clamd refuses an empty
 * database): the EICAR string as an `.ndb` body signature, HASHED as an `.hdb` hash signature.
 * Killed, and its folder removed, when the test process exits.
 */
export async function startClamd(opts: { streamMaxLength?: string } = {}): Promise<Clamd> {
  const binary = clamdBinary();
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-clamd-'));
  const db = join(dir, 'db');
  mkdirSync(db);
  writeFileSync(join(db, 'taiga-mcp-test.ndb'), `TaigaMcp.Test.EICAR:0:*:${EICAR.toString('hex')}\n`);
  writeFileSync(join(db, 'taiga-mcp-test.hdb'), `${createHash('md5').update(HASHED).digest('hex')}:${HASHED.length}:TaigaMcp.Test.Hashed\n`);
  const port = await freePort();
  const socket = join(dir, 'clamd.sock');
  const logFile = join(dir, 'clamd.log');
  const conf = join(dir, 'clamd.conf');
  writeFileSync(conf, [
    'Foreground yes', `DatabaseDirectory ${db}`, `LocalSocket ${socket}`, `TCPSocket ${port}`, 'TCPAddr 127.0.0.1', `LogFile ${logFile}`,
    `StreamMaxLength ${opts.streamMaxLength ?? '25M'}`, 'SelfCheck 3600',
  ].join('\n') + '\n');
  let child: ChildProcess | undefined;
  process.once('exit', () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const clamd: Clamd = {
    tcp: `127.0.0.1:${port}`,
    socket,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      child = spawn(binary, ['-c', conf], { stdio: 'ignore' });
      child.unref(); // a clamd left running never keeps the test process alive (it is killed at exit)
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      for (const until = Date.now() + 20_000; Date.now() < until;) {
        if ((await ping(port)) && existsSync(socket)) return;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.ref();
      child.kill('SIGKILL');
      await exited;
      throw new Error(`clamd did not start:\n${clamd.log().slice(-2000)}`);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.ref(); // waited for: its exit must keep the process alive
      child.kill('SIGKILL');
      await exited;
      rmSync(socket, { force: true });
    },
  };
  await clamd.start();
  return clamd;
}

/** Whether clamd answers PING on the loopback port. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('zPING\0'));
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('data', (data) => (reply += data.toString()));
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(reply === 'PONG\0'));
  });
}

export interface FakeScanner {
  /** `127.0.0.1:port`. */
  address: string;
  /** Bytes received, over every connection. */
  received(): number;
  close(): Promise<void>;
}

/** Not clamd: a loopback server that does what `behave` says with each connection (nothing: it never answers). */
export async function fakeScanner(behave: (socket: Socket) => void = () => undefined): Promise<FakeScanner> {
  const sockets = new Set<Socket>();
  let received = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (d) => (received += d.length));
    socket.on('error', () => undefined);
    behave(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as { port: number }).port}`,
    received: () => received,
    close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}
