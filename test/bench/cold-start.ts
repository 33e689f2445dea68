// 1. Cold start: spawn → initialize → first tools/list, for the real server and a bare one-tool server.
import { startEmulator } from '../emulator/index.js';
import { BARE_SERVER, CLI, median, now, ratio, round, serverEnv, spawnClient } from './util.js';

export interface ColdStartResult {
  runs: number;
  server_ms: number[];
  bare_ms: number[];
  server_median_ms: number;
  bare_median_ms: number;
  ratio: number;
  server_tools: number;
}

async function timeToList(script: string, env: Record<string, string>): Promise<{ ms: number; tools: number }> {
  const t0 = now();
  const spawned = await spawnClient(script, env);
  try {
    const list = await spawned.client.listTools();
    return { ms: now() - t0, tools: list.tools.length };
  } finally {
    await spawned.close();
  }
}

export async function measureColdStart(runs = 7): Promise<ColdStartResult> {
  const emulator = await startEmulator();
  try {
    const env = serverEnv(emulator.url);
    const server: number[] = [];
    const bare: number[] = [];
    let tools = 0;
    // One unmeasured spawn of each first, so the OS file cache is warm for both.
    await timeToList(CLI, env);
    await timeToList(BARE_SERVER, env);
    for (let i = 0; i < runs; i++) {
      // Interleaved, alternating which goes first, so drift affects both alike.
      const order = i % 2 === 0 ? (['server', 'bare'] as const) : (['bare', 'server'] as const);
      for (const which of order) {
        if (which === 'server') {
          const r = await timeToList(CLI, env);
          server.push(r.ms);
          tools = r.tools;
        } else {
          bare.push((await timeToList(BARE_SERVER, env)).ms);
        }
      }
    }
    const s = median(server);
    const b = median(bare);
    return {
      runs,
      server_ms: server.map((x) => round(x, 1)),
      bare_ms: bare.map((x) => round(x, 1)),
      server_median_ms: round(s, 1),
      bare_median_ms: round(b, 1),
      ratio: ratio(s, b),
      server_tools: tools,
    };
  } finally {
    await emulator.close();
  }
}
