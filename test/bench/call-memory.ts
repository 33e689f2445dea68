// Memory over many calls: the server's RSS after a warm-up, then after 20,000 more tool calls (a
// mix of lists, gets, a project and a miss), read from /proc. Growth beyond the warm-up is what a
// leak would show; the V8 heap's own settling is what the warm-up absorbs.
import { readFileSync } from 'node:fs';
import { startEmulator } from '../emulator/index.js';
import { CLI, now, round, serverEnv, spawnClient } from './util.js';

export interface CallMemoryResult {
  calls: number;
  warmup: number;
  concurrency: number;
  rss_after_warmup_bytes: number;
  rss_after_bytes: number;
  rss_growth_bytes: number;
  rss_max_bytes: number;
  seconds: number;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

const MIX: Array<[string, Record<string, unknown>]> = [
  ['list_user_stories', { project_id: 1, page_size: 30 }],
  ['get_user_story', { user_story_id: 3 }],
  ['list_tasks', { project_id: 1 }],
  ['get_issue', { issue_id: 2 }],
  ['get_project', { project_id: 1 }],
];
const MISS: [string, Record<string, unknown>] = ['get_user_story', { user_story_id: 999_999 }];

export async function measureCallMemory(calls = 20_000, warmup = 2_000, concurrency = 4): Promise<CallMemoryResult> {
  const emulator = await startEmulator({ record: false });
  let spawned: Awaited<ReturnType<typeof spawnClient>> | undefined;
  try {
    spawned = await spawnClient(CLI, serverEnv(emulator.url, { TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' }));
    const pid = spawned.pid;
    if (!pid) throw new Error('no server pid');
    const client = spawned.client;
    let next = 0;
    const run = async (upTo: number, onStep?: (done: number) => void) => {
      const worker = async () => {
        while (next < upTo) {
          const i = next++;
          const [name, args] = i % 10 === 9 ? MISS : MIX[i % MIX.length]!;
          await client.callTool({ name, arguments: args });
          if (onStep && i % 1000 === 0) onStep(i);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await run(warmup);
    const settled = rssOf(pid);
    let max = settled;
    const t0 = now();
    await run(warmup + calls, () => (max = Math.max(max, rssOf(pid))));
    const end = rssOf(pid);
    return {
      calls,
      warmup,
      concurrency,
      rss_after_warmup_bytes: settled,
      rss_after_bytes: end,
      rss_growth_bytes: end - settled,
      rss_max_bytes: Math.max(max, end),
      seconds: round((now() - t0) / 1000, 1),
    };
  } finally {
    await spawned?.close();
    await emulator.close();
  }
}
