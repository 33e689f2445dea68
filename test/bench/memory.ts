// 5. Memory with many sessions: a child process (own heap, --expose-gc) per size.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ratio, round } from './util.js';

const CHILD = fileURLToPath(new URL('./memory-child.js', import.meta.url));

export interface MemorySample {
  sessions: number;
  fill_ms: number;
  token_chars: number;
  rss_delta_bytes: number;
  heap_delta_bytes: number;
  rss_per_session: number;
  heap_per_session: number;
  /** Sum of the record's string lengths + numbers (8 B each): the baseline a record cannot go below. */
  payload_per_session: number;
  ratio_heap_to_payload: number;
  /** Heap + external (typed arrays) of the empty MemoryStore: its LRU caches preallocate. */
  empty_store_bytes: number;
}
export interface MemoryResult {
  samples: MemorySample[];
  skipped?: string;
}

interface ChildOut {
  sessions: number;
  fill_ms: number;
  token_chars: number;
  payload_bytes: number;
  empty_store_heap: number;
  empty_store_external: number;
  rss_before: number;
  rss_after: number;
  heap_before: number;
  heap_after: number;
}

function runChild(n: number, timeoutMs: number): Promise<ChildOut> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', CHILD, String(n)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return reject(new TimeoutError(`${n} sessions took longer than ${timeoutMs / 1000} s`));
      if (code !== 0) return reject(new Error(`memory child exited with ${code}: ${err.slice(0, 1000)}`));
      try {
        resolve(JSON.parse(out.trim()) as ChildOut);
      } catch {
        reject(new Error(`memory child printed no JSON: ${out.slice(0, 300)} ${err.slice(0, 300)}`));
      }
    });
  });
}

class TimeoutError extends Error {}

function sample(o: ChildOut): MemorySample {
  const heap = o.heap_after - o.heap_before;
  const rss = o.rss_after - o.rss_before;
  const payload = o.payload_bytes / o.sessions;
  return {
    sessions: o.sessions,
    fill_ms: round(o.fill_ms, 0),
    token_chars: o.token_chars,
    rss_delta_bytes: rss,
    heap_delta_bytes: heap,
    rss_per_session: Math.round(rss / o.sessions),
    heap_per_session: Math.round(heap / o.sessions),
    payload_per_session: Math.round(payload),
    ratio_heap_to_payload: ratio(heap / o.sessions, payload),
    empty_store_bytes: o.empty_store_heap + o.empty_store_external,
  };
}

export async function measureMemory(): Promise<MemoryResult> {
  const samples = [sample(await runChild(10_000, 30_000))];
  try {
    // The brief: also 100,000 if it takes < 10 s (the child is killed at 10 s).
    samples.push(sample(await runChild(100_000, 10_000)));
    return { samples };
  } catch (e) {
    if (e instanceof TimeoutError) return { samples, skipped: e.message };
    throw e;
  }
}
