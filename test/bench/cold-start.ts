// 1. Cold start: spawn → initialize → first tools/list, for taiga-mcp with every toolset on, beside
// the bare one-tool server on the same SDK v2 stack (the floor), and for reference the same on SDK v1
// and taiga-mcp unbundled.
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator } from '../emulator/index.js';
import { BARE_SERVER, BARE_SERVER_V1, CLI, CLI_UNBUNDLED, median, now, ratio, round, serverEnv, spawnClient } from './util.js';

export interface ColdStartResult {
  runs: number;
  server_ms: number[];
  bare_ms: number[];
  bare_v1_ms: number[];
  unbundled_ms: number[];
  server_median_ms: number;
  /** The same server unbundled (dist/core/cli.js): what the bundle saves. */
  unbundled_median_ms: number;
  bare_median_ms: number;
  bare_v1_median_ms: number;
  /** Against the bare SDK v2 server: the target. */
  ratio: number;
  ratio_v1: number;
  server_tools: number;
}

async function timeToList(script: string, env: Record<string, string>): Promise<{ ms: number; tools: number }> {
  const t0 = now();
  const spawned = await spawnClient(script, env);
  try {
    // Not client.listTools(): that also compiles a validator for every outputSchema in the client
    // (78 here, none for the bare server), which is the client's work, not the server's start.
    const list = await spawned.client.request({ method: 'tools/list' }, ListToolsResultSchema);
    return { ms: now() - t0, tools: list.tools.length };
  } finally {
    await spawned.close();
  }
}

export async function measureColdStart(runs = 9): Promise<ColdStartResult> {
  const emulator = await startEmulator();
  try {
    const env = serverEnv(emulator.url, { TAIGA_TOOLSETS: 'all' });
    const scripts = { server: CLI, bare: BARE_SERVER, bare_v1: BARE_SERVER_V1, unbundled: CLI_UNBUNDLED };
    const ms: Record<keyof typeof scripts, number[]> = { server: [], bare: [], bare_v1: [], unbundled: [] };
    const order = Object.keys(scripts) as (keyof typeof scripts)[];
    let tools = 0;
    // One unmeasured spawn of each first, so the OS file cache is warm for all.
    for (const which of order) await timeToList(scripts[which], env);
    for (let i = 0; i < runs; i++) {
      // Interleaved, rotating which goes first, so drift affects all alike.
      for (let k = 0; k < order.length; k++) {
        const which = order[(i + k) % order.length]!;
        const r = await timeToList(scripts[which], env);
        ms[which].push(r.ms);
        if (which === 'server') tools = r.tools;
      }
    }
    const [s, b, b1] = [median(ms.server), median(ms.bare), median(ms.bare_v1)];
    return {
      runs,
      server_ms: ms.server.map((x) => round(x, 1)),
      bare_ms: ms.bare.map((x) => round(x, 1)),
      bare_v1_ms: ms.bare_v1.map((x) => round(x, 1)),
      unbundled_ms: ms.unbundled.map((x) => round(x, 1)),
      server_median_ms: round(s, 1),
      bare_median_ms: round(b, 1),
      bare_v1_median_ms: round(b1, 1),
      unbundled_median_ms: round(median(ms.unbundled), 1),
      ratio: ratio(s, b),
      ratio_v1: ratio(s, b1),
      server_tools: tools,
    };
  } finally {
    await emulator.close();
  }
}
