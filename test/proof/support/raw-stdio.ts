import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Emulator } from '../../emulator/index.js';
import { CLI, serverEnv } from '../../helpers/stdio-harness.js';

export type Id = string | number;
export interface RpcMessage {
  jsonrpc: '2.0';
  id?: Id | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * What may appear on stdout: JSON-RPC 2.0 responses (an id, exactly one of result and error, a
 * numeric code and a message) and the server's own requests and notifications. Anything else
 * breaks every client reading the stream.
 */
export function assertRpcLine(line: string): RpcMessage {
  let value: unknown;
  assert.doesNotThrow(() => (value = JSON.parse(line)), `stdout line is not JSON: ${line.slice(0, 200)}`);
  const m = value as RpcMessage;
  assert.ok(m !== null && typeof m === 'object' && !Array.isArray(m), `stdout line is not an object: ${line.slice(0, 200)}`);
  assert.equal(m.jsonrpc, '2.0', `stdout line without jsonrpc 2.0: ${line.slice(0, 200)}`);
  if (typeof m.method === 'string') return m;
  assert.ok('id' in m, `a response without an id: ${line.slice(0, 200)}`);
  assert.ok(('result' in m) !== ('error' in m), `a response needs exactly one of result and error: ${line.slice(0, 200)}`);
  if (m.error) assert.ok(Number.isInteger(m.error.code) && typeof m.error.message === 'string', `a malformed error: ${line.slice(0, 200)}`);
  return m;
}

/** The built server over stdio with no SDK in between: bytes in, every stdout line checked. */
export class RawServer {
  private out = '';
  readonly messages: RpcMessage[] = [];
  /** Lines that broke the rule of assertRpcLine, with why: checked at every fence. */
  readonly badLines: string[] = [];
  private exit: Promise<number | null>;
  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.read(chunk));
    child.stderr.resume();
    this.exit = new Promise((resolve) => child.on('exit', resolve));
  }

  static start(emulator: Emulator, env: Record<string, string> = {}): RawServer {
    return new RawServer(spawn(process.execPath, [CLI], { env: { ...serverEnv(emulator), LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  write(data: string | Buffer): void {
    this.child.stdin.write(data);
  }

  send(message: object): void {
    this.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  }

  /** The responses to `id`, so far. */
  answersTo(id: Id | null): RpcMessage[] {
    return this.messages.filter((m) => m.method === undefined && Object.is(m.id, id));
  }

  async until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      assert.ok(this.alive, `the server died waiting for ${what}`);
      if (Date.now() > deadline) assert.fail(`no ${what} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** A fence: a ping answered means every line before it was read and the server still serves. */
  async ping(id: Id): Promise<void> {
    this.send({ id, method: 'ping' });
    await this.until(() => this.answersTo(id).length > 0, `answer to ping ${JSON.stringify(id)}`);
    assert.deepEqual(this.answersTo(id), [{ jsonrpc: '2.0', id, result: {} }]);
    assert.deepEqual(this.badLines, [], 'every stdout line is JSON-RPC');
  }

  /** Closes stdin, as a client that is done does, and returns the exit code. */
  async stop(): Promise<number | null> {
    this.child.stdin.end();
    return this.exit;
  }

  private read(chunk: string): void {
    this.out += chunk;
    const lines = this.out.split('\n');
    this.out = lines.pop()!;
    for (const line of lines) {
      try {
        this.messages.push(assertRpcLine(line));
      } catch (err) {
        this.badLines.push((err as Error).message);
      }
    }
  }
}
