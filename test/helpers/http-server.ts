import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyHttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttpTransport } from '@modelcontextprotocol/client';
import type { Emulator } from '../emulator/index.js';
import { answerLegacy, answerModern, asking, CLI, keep, serverEnv, type Elicitation } from './stdio-harness.js';

export interface HttpMcp {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>/mcp` (or https). */
  mcpUrl: string;
  /** Origin of the listener, e.g. `http://127.0.0.1:<port>`. */
  origin: string;
  opsUrl: string | undefined;
  /** The key made at start (loopback with no auth configured). */
  localKey: string | undefined;
  stderr(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface HttpMcpOptions {
  emulator: Emulator;
  /** The `http` section of a config file written for this run. */
  http?: Record<string, unknown>;
  /** Other top-level config keys. */
  config?: Record<string, unknown>;
  listen?: string;
  env?: Record<string, string>;
  credentials?: boolean;
  extraArgs?: string[];
  /** The command to run: the repository's bin (CLI) unless given, e.g. the installed package's. */
  bin?: string;
}

/** The built server spawned with `--http`, against the emulator; resolves once it says it is ready. */
export async function startHttpMcp(opts: HttpMcpOptions): Promise<HttpMcp> {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-http-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ ...opts.config, ...(opts.http && { http: opts.http }) }));
  const env = { ...serverEnv(opts.emulator, { ...(opts.credentials !== undefined && { credentials: opts.credentials }), env: { XDG_STATE_HOME: dir, TAIGA_TOOLSETS: 'all', ...opts.env } }) };
  const child = spawn(process.execPath, [opts.bin ?? CLI, '--config', configFile, '--http', opts.listen ?? '127.0.0.1:0', ...(opts.extraArgs ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    keep(c.toString());
  });
  child.stdout!.on('data', (c: Buffer) => {
    stderr += `[stdout] ${c.toString()}`;
    keep(c.toString());
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    (async () => {
      while (child.exitCode === null && child.signalCode === null) {
        const line = stderr.split('\n').find((l) => l.includes('"taiga-mcp ready on http"'));
        if (line) return JSON.parse(line) as { url: string; ops?: string };
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the server exited before it was ready'); // (the exit below says it first, with the log)
    })(),
    exited.then((code) => {
      throw new Error(`the server exited (${code}) before it was ready: ${stderr.slice(-1500)}`);
    }),
  ]);
  const keyLine = stderr.split('\n').find((l) => l.includes('"key_file"'));
  const keyFile = keyLine ? (JSON.parse(keyLine) as { key_file: string }).key_file : undefined;
  return {
    child,
    mcpUrl: ready.url,
    origin: new URL(ready.url).origin,
    opsUrl: ready.ops,
    localKey: keyFile ? readFileSync(keyFile, 'utf8').trim() : undefined,
    stderr: () => stderr,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

const bearer = (token: string | undefined): RequestInit | undefined => (token ? { headers: { Authorization: `Bearer ${token}` } } : undefined);

/** A 2025-era client (SDK 1.x) over Streamable HTTP. */
export async function legacyHttpClient(url: string, token?: string, elicitation?: Elicitation): Promise<LegacyClient> {
  const client = new LegacyClient({ name: 'legacy-http', version: '1.0.0' }, asking(elicitation));
  answerLegacy(client, elicitation);
  const init = bearer(token);
  await client.connect(new LegacyHttpTransport(new URL(url), init ? { requestInit: init } : {}));
  return client;
}

/** A 2026-07-28 client (SDK v2, pinned) over Streamable HTTP. */
export async function modernHttpClient(url: string, token?: string, elicitation?: Elicitation): Promise<ModernClient> {
  const client = new ModernClient({ name: 'modern-http', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } }, ...asking(elicitation) });
  answerModern(client, elicitation);
  const init = bearer(token);
  await client.connect(new ModernHttpTransport(new URL(url), init ? { requestInit: init } : {}));
  return client;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with full control of the headers (fetch will not forge Host) and of the request target (`target`, e.g. an absolute URL). */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; target?: string; localAddress?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    // localAddress: another loopback address (127.0.0.2…) to send from, as another client would.
    const req = httpRequest(url, { method: opts.method ?? 'POST', ...(opts.target && { path: opts.target }), ...(opts.localAddress && { localAddress: opts.localAddress }), headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        keep(`${body}\n`);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A JSON-RPC request body as a 2025-era client sends it (no per-request envelope). */
export const rpc = (method: string, params: Record<string, unknown> = {}, id: number | string = 1): string => JSON.stringify({ jsonrpc: '2.0', id, method, params });

/** The JSON-RPC message of a response that may be SSE-framed. */
export function messageOf(answer: RawAnswer): { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } } {
  const data = answer.headers['content-type']?.includes('text/event-stream')
    ? answer.body
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .pop() ?? ''
    : answer.body;
  return JSON.parse(data) as ReturnType<typeof messageOf>;
}

export type ToolOutcome = { ok: true; data: Record<string, unknown> } | { ok: false; code: string };

/** One tools/call over raw HTTP with a bearer key: the tool's structured data, or its error code. */
export async function callTool(server: HttpMcp, key: string, name: string, args: Record<string, unknown>): Promise<ToolOutcome> {
  const answer = await rawRequest(server.mcpUrl, { headers: { authorization: `Bearer ${key}` }, body: rpc('tools/call', { name, arguments: args }) });
  const result = messageOf(answer).result as { isError?: boolean; structuredContent?: Record<string, unknown>; content: Array<{ text: string }> } | undefined;
  if (!result) throw new Error(`no tool result: ${answer.body.slice(0, 300)}`);
  if (!result.isError) return { ok: true, data: result.structuredContent ?? {} };
  return { ok: false, code: (JSON.parse(result.content[0]!.text) as { error: { code: string } }).error.code };
}
