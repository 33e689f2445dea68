// Memory over many calls: the server's RSS (from /proc) over 20,000 tool calls after a warm-up (a
// mix of lists, gets, a project and a miss). RSS swings by tens of MB as the V8 heap fills and is
// collected, so one reading at each end says little: the floor (the lowest of the samples taken
// every 250 calls) of the first quarter is compared with that of the last quarter, which is what a
// leak raises.
import { startEmulator } from '../emulator/index.js';
import { CLI, now, round, rssOf, serverEnv, spawnClient } from './util.js';

export interface CallMemoryResult {
  calls: number;
  warmup: number;
  concurrency: number;
  /** Lowest RSS sampled in the first and in the last quarter of the calls. */
  rss_first_quarter_bytes: number;
  rss_last_quarter_bytes: number;
  rss_growth_bytes: number;
  rss_max_bytes: number;
  samples: number;
  seconds: number;
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
    const samples: number[] = [];
    const run = async (upTo: number, sample: boolean) => {
      const worker = async () => {
        while (next < upTo) {
          const i = next++;
          const [name, args] = i % 10 === 9 ? MISS : MIX[i % MIX.length]!;
          await client.callTool({ name, arguments: args });
          if (sample && i % 250 === 0) samples.push(rssOf(pid));
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await run(warmup, false);
    const t0 = now();
    await run(warmup + calls, true);
    samples.push(rssOf(pid));
    const quarter = Math.max(1, Math.floor(samples.length / 4));
    const first = Math.min(...samples.slice(0, quarter));
    const last = Math.min(...samples.slice(-quarter));
    return {
      calls,
      warmup,
      concurrency,
      rss_first_quarter_bytes: first,
      rss_last_quarter_bytes: last,
      rss_growth_bytes: last - first,
      rss_max_bytes: Math.max(...samples),
      samples: samples.length,
      seconds: round((now() - t0) / 1000, 1),
    };
  } finally {
    await spawned?.close();
    await emulator.close();
  }
}
