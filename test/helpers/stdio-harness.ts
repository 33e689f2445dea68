import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as ModernClient } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdioTransport } from '@modelcontextprotocol/client/stdio';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator, type Emulator } from '../emulator/index.js';

/** The project root (the tests run from dist/test/). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * What every test that starts a server spawns: the file package.json `bin` names (the esbuild
 * bundle the package ships), so that nothing the bundle does differently from the compiled
 * sources can hide from the tests.
 */
export const CLI = join(ROOT, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['taiga-mcp']!);

/** Everything a spawned server printed, for the leak test (TAIGA_MCP_TRANSCRIPT names a file). */
export function keep(text: string): void {
  const file = process.env['TAIGA_MCP_TRANSCRIPT'];
  if (file) appendFileSync(file, text);
}

/** What a server prints on stderr, kept for the test and the leak transcript. */
function captured(stream: Readable | null): () => string {
  let text = '';
  stream?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    keep(chunk.toString());
  });
  return () => text;
}

export interface Harness {
  client: Client;
  emulator: Emulator;
  stderr(): string;
  call(name: string, args?: Record<string, unknown>, opts?: { onprogress?: (p: { progress: number; total?: number }) => void }): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** What a client's person answers to an elicitation (the client declares `elicitation` when one is given). */
export type Elicitation = (request: { message: string; requestedSchema: unknown }) => Promisable<{ action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean> }>;
type Promisable<T> = T | Promise<T>;

/** Client options and the handler that answers elicitations, for a client of either SDK. */
export function asking(elicitation: Elicitation | undefined): { capabilities?: { elicitation: Record<string, never> } } {
  return elicitation ? { capabilities: { elicitation: {} } } : {};
}

/** Installs `elicitation` on a 2025-era (SDK 1.x) client. */
export function answerLegacy(client: Client, elicitation: Elicitation | undefined): void {
  if (elicitation) client.setRequestHandler(ElicitRequestSchema, async (req) => elicitation(req.params as { message: string; requestedSchema: unknown }));
}

/** Installs `elicitation` on a 2026-07-28 (SDK v2) client: it answers the input_required rounds through it. */
export function answerModern(client: ModernClient, elicitation: Elicitation | undefined): void {
  if (elicitation) client.setRequestHandler('elicitation/create', async (req) => elicitation(req.params as { message: string; requestedSchema: unknown }));
}

export interface HarnessOptions {
  env?: Record<string, string>;
  emulator?: Emulator;
  credentials?: boolean;
  /** The command to run: CLI unless given (e.g. a copy of it). */
  bin?: string;
  /** The person behind the client: with it the client declares elicitation and answers through it. */
  elicitation?: Elicitation;
}

/** The environment a spawned server gets: the emulator as its Taiga, admin's account unless told otherwise. */
export function serverEnv(emulator: Emulator, opts: HarnessOptions = {}): Record<string, string> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TAIGA_API_URL: emulator.url,
    ALLOW_HTTP_TAIGA: 'true',
    LOG_LEVEL: 'debug',
    REQUEST_TIMEOUT: '5',
    ...(opts.credentials === false ? {} : { TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin' }),
    ...opts.env,
  };
  // REDIS_URL in the test process (CI sets it) is for the tests' own Redis: a server uses Redis
  // only when a test says so, through opts.env or its config.
  if (opts.env?.['REDIS_URL'] === undefined) delete env['REDIS_URL'];
  if (opts.credentials === false) {
    delete env['TAIGA_USERNAME'];
    delete env['TAIGA_PASSWORD'];
  }
  return env;
}

/** The built server spawned over stdio, driven by the SDK's Client (2025-era, v1), against a fresh emulator. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const emulator = opts.emulator ?? (await startEmulator());
  const env = serverEnv(emulator, opts);
  const transport = new StdioClientTransport({ command: process.execPath, args: [opts.bin ?? CLI], env, stderr: 'pipe', cwd: fileURLToPath(new URL('.', import.meta.url)) });
  const stderr = captured(transport.stderr as Readable | null);
  const client = new Client({ name: 'harness', version: '1.0.0' }, asking(opts.elicitation));
  answerLegacy(client, opts.elicitation);
  await client.connect(transport);
  await client.listTools();
  return {
    client,
    emulator,
    stderr,
    async call(name, args = {}, callOpts = {}) {
      const result = (await client.callTool({ name, arguments: args }, undefined, callOpts.onprogress ? { onprogress: callOpts.onprogress } : undefined)) as CallToolResult;
      keep(`${JSON.stringify(result)}\n`);
      return result;
    },
    async close() {
      await client.close();
      if (!opts.emulator) await emulator.close();
    },
  };
}

/** The `{ code, message, details, hint }` of a failed call (and a check that it failed). */
export function errorOf(result: CallToolResult): { code: string; message: string; details?: Record<string, unknown>; hint?: string } {
  if (!result.isError) throw new Error(`expected an error, got ${JSON.stringify(result.structuredContent).slice(0, 300)}`);
  const first = result.content[0];
  if (!first || first.type !== 'text') throw new Error('error result without text');
  return (JSON.parse(first.text) as { error: { code: string; message: string } }).error;
}

export function dataOf<T = Record<string, unknown>>(result: CallToolResult): T {
  if (result.isError) throw new Error(`expected success, got ${(result.content[0] as { text: string }).text}`);
  return result.structuredContent as T;
}

export interface ModernHarness {
  client: ModernClient;
  emulator: Emulator;
  stderr(): string;
  call(name: string, args?: Record<string, unknown>, opts?: { signal?: AbortSignal; onprogress?: (p: { progress: number; total?: number }) => void }): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** The same, driven by the v2 SDK Client pinned to the 2026-07-28 revision (no initialize; per-request envelope). */
export async function startModernHarness(opts: HarnessOptions = {}): Promise<ModernHarness> {
  const emulator = opts.emulator ?? (await startEmulator());
  const transport = new ModernStdioTransport({ command: process.execPath, args: [opts.bin ?? CLI], env: serverEnv(emulator, opts), stderr: 'pipe', cwd: fileURLToPath(new URL('.', import.meta.url)) });
  const stderr = captured(transport.stderr as Readable | null);
  const client = new ModernClient({ name: 'harness-2026', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } }, ...asking(opts.elicitation) });
  answerModern(client, opts.elicitation);
  await client.connect(transport);
  await client.listTools();
  return {
    client,
    emulator,
    stderr,
    async call(name, args = {}, callOpts = {}) {
      const result = (await client.callTool({ name, arguments: args }, callOpts)) as CallToolResult;
      keep(`${JSON.stringify(result)}\n`);
      return result;
    },
    async close() {
      await client.close();
      if (!opts.emulator) await emulator.close();
    },
  };
}

/** The CLI run to its exit; one that comes up after all (which these runs must not) is stopped and reported as such. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes('"taiga-mcp ready on http"')) child.kill('SIGKILL');
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}
