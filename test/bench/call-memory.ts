// Memory over many calls: the server's RSS (from /proc) over 20,000 tool calls (a mix of lists,
// gets, a project and a miss), measured twice in one run: right after a 2,000-call warm-up, and
// again after 10,000 more calls, once V8 has sized its heaps for the load. RSS swings by tens of MB
// as the heap fills and is collected, so the floor (the lowest sample, taken every 250 calls) of the
// first quarter of a window is compared with that of its last quarter. Beside it, the live heap
// after each full GC (gc-probe.ts, preloaded): flat when nothing leaks, whatever RSS does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/index.js';
import { performance } from 'node:perf_hooks';
import { CLI, now, round, rssOf, serverEnv, spawnClient } from './util.js';

export interface MemoryWindow {
  /** Calls made before the window opened. */
  after_calls: number;
  /** Lowest RSS sampled in the first and in the last quarter of the window. */
  rss_first_quarter_bytes: number;
  rss_last_quarter_bytes: number;
  rss_growth_bytes: number;
  rss_max_bytes: number;
  /** Live heap after full GCs: the lowest in the first and in the last quarter of the window. */
  heap_first_quarter_bytes: number | null;
  heap_last_quarter_bytes: number | null;
  heap_growth_bytes: number | null;
  full_gcs: number;
}
export interface CallMemoryResult {
  calls: number;
  concurrency: number;
  /** Right after the warm-up, and after V8 has sized its heaps. */
  windows: [MemoryWindow, MemoryWindow];
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
const PROBE = fileURLToPath(new URL('./gc-probe.js', import.meta.url));

interface Sample { at: number; rss: number }

const lowest = (values: number[]): number | null => (values.length ? Math.min(...values) : null);

function windowOf(samples: Sample[], gcs: Array<{ at: number; heap: number }>, from: number, to: number, afterCalls: number): MemoryWindow {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  const quarter = Math.max(1, Math.floor(inside.length / 4));
  const [first, last] = [inside.slice(0, quarter), inside.slice(-quarter)];
  const rssFirst = Math.min(...first.map((s) => s.rss));
  const rssLast = Math.min(...last.map((s) => s.rss));
  const span = (part: Sample[]) => [part[0]!.at, part[part.length - 1]!.at] as const;
  const heapIn = ([a, b]: readonly [number, number]) => gcs.filter((g) => g.at >= a && g.at <= b).map((g) => g.heap);
  // A quarter may hold no full GC: then the nearest half of the window stands in.
  const half = Math.max(1, Math.floor(inside.length / 2));
  const heapFirst = lowest(heapIn(span(first))) ?? lowest(heapIn(span(inside.slice(0, half))));
  const heapLast = lowest(heapIn(span(last))) ?? lowest(heapIn(span(inside.slice(-half))));
  return {
    after_calls: afterCalls,
    rss_first_quarter_bytes: rssFirst,
    rss_last_quarter_bytes: rssLast,
    rss_growth_bytes: rssLast - rssFirst,
    rss_max_bytes: Math.max(...inside.map((s) => s.rss)),
    heap_first_quarter_bytes: heapFirst,
    heap_last_quarter_bytes: heapLast,
    heap_growth_bytes: heapFirst === null || heapLast === null ? null : heapLast - heapFirst,
    full_gcs: gcs.filter((g) => g.at >= from && g.at <= to).length,
  };
}

export async function measureCallMemory(calls = 20_000, warmup = 2_000, settle = 10_000, concurrency = 4): Promise<CallMemoryResult> {
  const emulator = await startEmulator({ record: false });
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-gc-'));
  const probeFile = join(dir, 'gc.log');
  let spawned: Awaited<ReturnType<typeof spawnClient>> | undefined;
  try {
    const env = serverEnv(emulator.url, { TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000', GC_PROBE_FILE: probeFile });
    env['NODE_OPTIONS'] = `${env['NODE_OPTIONS'] ?? ''} --import ${PROBE}`.trim();
    spawned = await spawnClient(CLI, env);
    const pid = spawned.pid;
    if (!pid) throw new Error('no server pid');
    const client = spawned.client;
    // Epoch milliseconds, the probe's clock too.
    const clock = () => performance.timeOrigin + now();
    let next = 0;
    const samples: Sample[] = [];
    const marks: number[] = [];
    const run = async (upTo: number) => {
      const worker = async () => {
        while (next < upTo) {
          const i = next++;
          const [name, args] = i % 10 === 9 ? MISS : MIX[i % MIX.length]!;
          await client.callTool({ name, arguments: args });
          if (i % 250 === 0) samples.push({ at: clock(), rss: rssOf(pid) });
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      marks.push(clock());
    };
    await run(warmup);
    const t0 = now();
    await run(warmup + settle);
    await run(warmup + calls);
    await run(warmup + settle + calls);
    samples.push({ at: clock(), rss: rssOf(pid) });
    await spawned.close();
    spawned = undefined;
    const gcs = readFileSync(probeFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
      const [at, heap] = line.split(' ').map(Number);
      return { at: at!, heap: heap! };
    });
    const [afterWarmup, afterSettle, endFirst, end] = marks as [number, number, number, number];
    return {
      calls,
      concurrency,
      windows: [windowOf(samples, gcs, afterWarmup, endFirst, warmup), windowOf(samples, gcs, afterSettle, end, warmup + settle)],
      seconds: round((now() - t0) / 1000, 1),
    };
  } finally {
    await spawned?.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
