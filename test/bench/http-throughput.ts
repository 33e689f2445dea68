// 7. HTTP throughput: 100 concurrent clients, each its own principal (API key), calling
// get_user_story against the emulator, with the in-memory store and with the Redis store, beside the
// same calls over stdio (one client, 100 calls in flight). Each run: a warm-up, then a timed window.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { startHttpMcp, type HttpMcp } from '../helpers/http-server.js';
import { testRedisUrl } from '../helpers/redis-server.js';
import { spawn } from 'node:child_process';
import { freePort } from '../helpers/redis-server.js';
import { BARE_SERVER, CLI, login, percentile, ratio, round, rssOf, serverEnv, spawnClient } from './util.js';

export interface ThroughputRun {
  transport: string;
  calls: number;
  errors: number;
  calls_per_s: number;
  p50_ms: number;
  p95_ms: number;
  /** The server's resident memory at the end of the run. */
  server_rss_mb: number | undefined;
}
export interface HttpThroughputResult {
  clients: number;
  seconds: number;
  runs: ThroughputRun[];
  /** Redis store's calls/s over the in-memory store's (target ≥ 0.8). */
  redis_vs_memory: number;
  /** taiga-mcp (in-memory store) calls/s over the bare SDK v2 HTTP server's. */
  memory_vs_floor: number;
}

const LIMITS = { TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' };
const ARGS = { user_story_id: 3 };

/** Runs `call` from `clients` loops for warm-up + `seconds`; counts only what finished in the window. */
async function drive(clients: number, seconds: number, call: (client: number) => Promise<boolean>): Promise<Omit<ThroughputRun, 'transport' | 'server_rss_mb'>> {
  const warmupUntil = performance.now() + 1500;
  const until = warmupUntil + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const ok = await call(i).catch(() => false);
        const t1 = performance.now();
        if (t0 < warmupUntil || t1 > until) continue;
        if (ok) latencies.push(t1 - t0);
        else errors++;
      }
    }),
  );
  return { calls: latencies.length, errors, calls_per_s: round(latencies.length / seconds, 0), p50_ms: round(percentile(latencies, 50), 2), p95_ms: round(percentile(latencies, 95), 2) };
}

function rssMb(pid: number | null | undefined): number | undefined {
  try {
    return pid ? round(rssOf(pid) / 1048576, 1) : undefined;
  } catch {
    return undefined; // the process has gone: no figure rather than a failed run
  }
}

/** `clients` loops POSTing one 2026-07-28 tools/call each, as the SDK's client sends it (protocol version and client in _meta and headers). */
async function driveHttp(url: URL, clients: number, seconds: number, tool: string, args: Record<string, unknown>, authorization: (i: number) => Record<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' }, 'io.modelcontextprotocol/clientCapabilities': {} };
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args, _meta: meta } });
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': tool };
  const call = (i: number) =>
    new Promise<boolean>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { ...headers, ...authorization(i) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(res.statusCode === 200 && text.includes('"result"') && !text.includes('"isError":true')));
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    return await drive(clients, seconds, call);
  } finally {
    agent.destroy();
  }
}

async function overHttp(emulator: Emulator, transport: string, clients: number, seconds: number, config: Record<string, unknown>, env: Record<string, string>): Promise<ThroughputRun> {
  const keys = Array.from({ length: clients }, () => newApiKey());
  let server: HttpMcp | undefined;
  try {
    server = await startHttpMcp({
      emulator,
      config,
      env: { ...LIMITS, LOG_LEVEL: 'info', ...env },
      http: { auth: { apiKeys: keys.map((k, i) => ({ sha256: k.sha256, principal: `colleague-${i}` })) } },
    });
    const measured = await driveHttp(new URL(server.mcpUrl), clients, seconds, 'get_user_story', ARGS, (i) => ({ authorization: `Bearer ${keys[i]!.key}` }));
    return { transport, ...measured, server_rss_mb: rssMb(server.child.pid) };
  } finally {
    await server?.stop();
  }
}

/** The floor: the bare SDK v2 server over HTTP, its one tool making the same GET (no auth, no store, no projection). */
async function bareOverHttp(emulator: Emulator, clients: number, seconds: number): Promise<ThroughputRun> {
  const port = await freePort();
  const token = await login(emulator.apiUrl);
  const child = spawn(process.execPath, [BARE_SERVER], { env: { ...process.env, BARE_HTTP_PORT: String(port), BARE_TAIGA_API: emulator.apiUrl, BARE_TAIGA_TOKEN: token }, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (c: Buffer) => c.toString().includes('ready on http') && resolve());
      child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
    });
    const measured = await driveHttp(new URL(`http://127.0.0.1:${port}/mcp`), clients, seconds, 'taiga_get', { path: `/userstories/${ARGS.user_story_id}` }, () => ({}));
    return { transport: 'HTTP floor: bare SDK v2 server, same GET', ...measured, server_rss_mb: rssMb(child.pid) };
  } finally {
    child.kill();
  }
}

async function overStdio(emulator: Emulator, clients: number, seconds: number): Promise<ThroughputRun> {
  const server = await spawnClient(CLI, serverEnv(emulator.url, { ...LIMITS, LOG_LEVEL: 'info' }));
  try {
    const measured = await drive(clients, seconds, async () => !(await server.call('get_user_story', ARGS)).isError);
    return { transport: 'stdio (one client, 100 in flight)', ...measured, server_rss_mb: rssMb(server.pid) };
  } finally {
    await server.close();
  }
}

export async function measureHttpThroughput(clients = 100, seconds = 8): Promise<HttpThroughputResult> {
  const emulator = await startEmulator({ record: false });
  try {
    const floor = await bareOverHttp(emulator, clients, seconds);
    const memory = await overHttp(emulator, 'HTTP, in-memory store', clients, seconds, {}, {});
    const redisUrl = await testRedisUrl();
    const redis = await overHttp(
      emulator,
      'HTTP, Redis store',
      clients,
      seconds,
      { store: { kind: 'redis', url: redisUrl, keyPrefix: `bench${randomBytes(3).toString('hex')}:` } },
      { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') },
    );
    const stdio = await overStdio(emulator, clients, seconds);
    return { clients, seconds, runs: [floor, memory, redis, stdio], redis_vs_memory: ratio(redis.calls_per_s, memory.calls_per_s), memory_vs_floor: ratio(memory.calls_per_s, floor.calls_per_s) };
  } finally {
    await emulator.close();
  }
}
