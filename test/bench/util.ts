// Shared helpers for the benchmark: statistics, a stdio MCP client spawner and login against the emulator.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The server as the package runs it (the bundled CLI), the same unbundled, and the bare server (all under dist/). */
export { CLI } from '../helpers/stdio-harness.js';
export const CLI_UNBUNDLED = fileURLToPath(new URL('../../core/cli.js', import.meta.url));
export const BARE_SERVER = fileURLToPath(new URL('./bare-server.js', import.meta.url));
/** The same bare server on SDK v1, for reference. */
export const BARE_SERVER_V1 = fileURLToPath(new URL('./bare-server-v1.js', import.meta.url));
/** cwd for spawned servers: a directory without a taiga-mcp.config.json. */
export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (rank - lo);
}
export const median = (values: number[]): number => percentile(values, 50);
export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
export const ratio = (a: number, b: number, digits = 2): number => (b === 0 ? NaN : round(a / b, digits));

/** Environment for the real server against an emulator: process.env plus the config variables. */
export function serverEnv(emulatorUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'REDIS_URL') env[k] = v;
  return {
    ...env,
    TAIGA_API_URL: emulatorUrl,
    ALLOW_HTTP_TAIGA: 'true',
    TAIGA_USERNAME: 'admin',
    TAIGA_PASSWORD: 'taigaadmin',
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

export interface SpawnedClient {
  client: Client;
  /** The server process, for its RSS. */
  pid: number | null;
  stderr(): string;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Spawns `node <script>` over stdio and connects (initialize handshake included). */
export async function spawnClient(script: string, env: Record<string, string>): Promise<SpawnedClient> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [script], env, stderr: 'pipe', cwd: BENCH_DIR });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString();
  });
  const client = new Client({ name: 'taiga-mcp-bench', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (err) {
    await transport.close().catch(() => undefined);
    throw new Error(`connect to ${script} failed: ${(err as Error).message}${stderr ? `\nstderr: ${stderr.slice(0, 2000)}` : ''}`);
  }
  return {
    client,
    pid: transport.pid,
    stderr: () => stderr,
    async call(name, args) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      if (result.isError) {
        const first = result.content[0];
        throw new Error(`${name} failed: ${first && first.type === 'text' ? first.text.slice(0, 500) : JSON.stringify(result).slice(0, 500)}`);
      }
      return result;
    },
    close: () => client.close(),
  };
}

/** Logs in to the emulator as admin and returns the bearer token. */
export async function login(apiUrl: string): Promise<string> {
  const res = await request(`${apiUrl}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'normal', username: 'admin', password: 'taigaadmin' }),
  });
  const body = (await res.body.json()) as { auth_token?: string };
  if (res.statusCode !== 200 || !body.auth_token) throw new Error(`emulator login failed: HTTP ${res.statusCode}`);
  return body.auth_token;
}

export const now = (): number => performance.now();

/** Resident memory of a process, in bytes (Linux: /proc/<pid>/status). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}
