// 2. Per call, on the emulator: list_user_stories and get_user_story through taiga-mcp, beside the
// floor of any MCP server: the bare SDK v2 server (bare-server.ts) whose one tool makes the same
// undici GET and returns Taiga's body as text. A direct undici GET is printed for reference.
import { request } from 'undici';
import { startEmulator, type Emulator, type RecordedRequest } from '../emulator/index.js';
import { BARE_SERVER, CLI, login, now, percentile, ratio, round, serverEnv, spawnClient, type SpawnedClient } from './util.js';

export interface Timing {
  p50_ms: number;
  p95_ms: number;
}
export interface CallPair {
  tool: string;
  /** The GET taiga-mcp made for the call, which the floor makes too. */
  path: string;
  mcp: Timing;
  floor: Timing;
  direct: Timing;
  ratio_p50: number;
  ratio_p95: number;
  /** Requests taiga-mcp sent to Taiga per measured call (1 = no extra round trips). */
  taiga_requests_per_call: number;
}
export interface PerCallResult {
  calls: number;
  warmup: number;
  pairs: CallPair[];
}

const timing = (ms: number[]): Timing => ({ p50_ms: round(percentile(ms, 50), 3), p95_ms: round(percentile(ms, 95), 3) });

/** The last GET taiga-mcp sent to `endpoint`, as a path under the API root with its query. */
function lastGet(emulator: Emulator, endpoint: RegExp): string {
  const found = [...emulator.requests].reverse().find((r: RecordedRequest) => r.method === 'GET' && endpoint.test(r.path));
  if (!found) throw new Error(`taiga-mcp sent no GET matching ${endpoint}`);
  const query = new URLSearchParams(found.query).toString();
  return `${found.path.replace(/^\/api\/v1/, '')}${query ? `?${query}` : ''}`;
}

export async function measurePerCall(calls = 300, warmup = 30): Promise<PerCallResult> {
  const emulator = await startEmulator();
  let server: SpawnedClient | undefined;
  let floor: SpawnedClient | undefined;
  try {
    const token = await login(emulator.apiUrl);
    // The default per-session limit (burst 60, 10 calls/s) would stop a benchmark loop; raise it so
    // the limiter is still consulted on every call but never refuses.
    server = await spawnClient(CLI, serverEnv(emulator.url, { TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' }));
    floor = await spawnClient(BARE_SERVER, serverEnv(emulator.url, { BARE_TAIGA_API: emulator.apiUrl, BARE_TAIGA_TOKEN: token }));
    const storyId = 3;
    const tools = [
      { tool: 'list_user_stories', args: { project_id: 1, page_size: 30 }, endpoint: /^\/api\/v1\/userstories$/ },
      { tool: 'get_user_story', args: { user_story_id: storyId }, endpoint: new RegExp(`^/api/v1/userstories/${storyId}$`) },
    ];
    const pairs: CallPair[] = [];
    for (const t of tools) {
      await server.call(t.tool, t.args);
      const path = lastGet(emulator, t.endpoint);
      const direct = async () => {
        const res = await request(`${emulator.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
        await res.body.text();
      };
      const kinds = {
        mcp: () => server!.call(t.tool, t.args),
        floor: () => floor!.call('taiga_get', { path }),
        direct,
      };
      for (let i = 0; i < warmup; i++) for (const run of Object.values(kinds)) await run();
      const ms: Record<keyof typeof kinds, number[]> = { mcp: [], floor: [], direct: [] };
      const order = Object.keys(kinds) as (keyof typeof kinds)[];
      let mcpRequests = 0;
      for (let i = 0; i < calls; i++) {
        // Rotated, so that none always runs right after another's GC pressure.
        for (let k = 0; k < order.length; k++) {
          const kind = order[(i + k) % order.length]!;
          const before = emulator.totalRequests;
          const t0 = now();
          await kinds[kind]();
          ms[kind].push(now() - t0);
          if (kind === 'mcp') mcpRequests += emulator.totalRequests - before;
        }
      }
      const [m, f] = [timing(ms.mcp), timing(ms.floor)];
      pairs.push({ tool: t.tool, path, mcp: m, floor: f, direct: timing(ms.direct), ratio_p50: ratio(m.p50_ms, f.p50_ms), ratio_p95: ratio(m.p95_ms, f.p95_ms), taiga_requests_per_call: round(mcpRequests / calls, 2) });
    }
    return { calls, warmup, pairs };
  } finally {
    await server?.close();
    await floor?.close();
    await emulator.close();
  }
}
