// 2. Per-call overhead: list_user_stories through stdio vs a direct undici GET of the same endpoint.
import { request } from 'undici';
import { startEmulator } from '../emulator/index.js';
import { BARE_SERVER, CLI, login, now, percentile, ratio, round, serverEnv, spawnClient } from './util.js';

export interface PerCallResult {
  calls: number;
  warmup: number;
  mcp_p50_ms: number;
  mcp_p95_ms: number;
  direct_p50_ms: number;
  direct_p95_ms: number;
  ratio_p50: number;
  ratio_p95: number;
  /** p50 difference: what stdio + MCP + the server's pipeline add per call. */
  overhead_p50_ms: number;
  /** A trivial tool of the bare one-tool server over stdio: the transport's own round trip. */
  bare_echo_p50_ms: number;
  bare_echo_p95_ms: number;
  /** p50 left for the server's pipeline: mcp - direct - bare echo. */
  pipeline_p50_ms: number;
  /** Requests the server sent to Taiga per measured call (1 = no extra round trips). */
  taiga_requests_per_call: number;
  items_per_call: number;
}

export async function measurePerCall(calls = 300, warmup = 20): Promise<PerCallResult> {
  const emulator = await startEmulator();
  let spawned: Awaited<ReturnType<typeof spawnClient>> | undefined;
  let bare: Awaited<ReturnType<typeof spawnClient>> | undefined;
  try {
    const token = await login(emulator.apiUrl);
    const url = `${emulator.apiUrl}/userstories?project=1&page=1&page_size=30`;
    const headers = { authorization: `Bearer ${token}` };
    const direct = async (): Promise<number> => {
      const res = await request(url, { headers });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`direct GET: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      return (JSON.parse(text) as unknown[]).length;
    };
    // The default per-session limit (burst 60, 10 calls/s) would stop a benchmark loop; raise it so
    // the limiter is still consulted on every call but never refuses.
    spawned = await spawnClient(CLI, serverEnv(emulator.url, { TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' }));
    bare = await spawnClient(BARE_SERVER, serverEnv(emulator.url));
    const echo = async (): Promise<void> => {
      await bare!.call('echo', { text: 'ping' });
    };
    const args = { project_id: 1, page_size: 30 };
    let items = 0;
    const mcp = async (): Promise<void> => {
      const r = await spawned!.call('list_user_stories', args);
      items = ((r.structuredContent ?? {}) as { items?: unknown[] }).items?.length ?? 0;
    };
    for (let i = 0; i < warmup; i++) {
      await mcp();
      await direct();
      await echo();
    }
    const mcpMs: number[] = [];
    const directMs: number[] = [];
    const echoMs: number[] = [];
    const before = emulator.requests.length;
    let directRequests = 0;
    for (let i = 0; i < calls; i++) {
      // Rotate the order so none always runs right after another's GC pressure.
      const kinds = (['mcp', 'direct', 'echo'] as const).map((_, k, all) => all[(i + k) % 3]!);
      for (const kind of kinds) {
        const t0 = now();
        if (kind === 'mcp') await mcp();
        else if (kind === 'echo') await echo();
        else {
          await direct();
          directRequests++;
        }
        (kind === 'mcp' ? mcpMs : kind === 'echo' ? echoMs : directMs).push(now() - t0);
      }
    }
    const serverRequests = emulator.requests.length - before - directRequests;
    const [m50, m95, d50, d95] = [percentile(mcpMs, 50), percentile(mcpMs, 95), percentile(directMs, 50), percentile(directMs, 95)];
    return {
      calls,
      warmup,
      mcp_p50_ms: round(m50, 3),
      mcp_p95_ms: round(m95, 3),
      direct_p50_ms: round(d50, 3),
      direct_p95_ms: round(d95, 3),
      ratio_p50: ratio(m50, d50),
      ratio_p95: ratio(m95, d95),
      overhead_p50_ms: round(m50 - d50, 3),
      bare_echo_p50_ms: round(percentile(echoMs, 50), 3),
      bare_echo_p95_ms: round(percentile(echoMs, 95), 3),
      pipeline_p50_ms: round(m50 - d50 - percentile(echoMs, 50), 3),
      taiga_requests_per_call: round(serverRequests / calls, 2),
      items_per_call: items,
    };
  } finally {
    await spawned?.close();
    await bare?.close();
    await emulator.close();
  }
}
