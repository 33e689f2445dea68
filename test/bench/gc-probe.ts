// Preloaded into the server by the call-memory bench (node --import): after every full (mark-compact)
// GC, one line `<epoch ms> <live heap bytes>` appended to GC_PROBE_FILE. The live heap after
// a full GC is what a leak raises; RSS also follows V8 sizing its heaps to the load.
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

const file = process.env['GC_PROBE_FILE'];
if (file) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) appendFileSync(file, `${Math.round(performance.timeOrigin + performance.now())} ${getHeapStatistics().used_heap_size}\n`);
    }
  }).observe({ entryTypes: ['gc'] });
}
