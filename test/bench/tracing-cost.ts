// 8. What tracing costs: cold start and per call, with tracing off (no OTLP endpoint: OpenTelemetry
// is never loaded and the pipeline has no trace stage) and on (every span exported over OTLP/HTTP
// protobuf to a receiver on loopback), beside the bare SDK v2 server measured in the same run,
// interleaved so that drift affects all alike. Wall time on a shared machine is mostly other
// processes' noise, so the server's own CPU time (/proc/<pid>/stat) is measured too: exporting
// happens in the server's process, so that is where tracing's cost shows.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator } from '../emulator/index.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { BARE_SERVER, CLI, login, median, now, percentile, round, serverEnv, spawnClient, type SpawnedClient } from './util.js';

type Kind = 'bare' | 'off' | 'on';
type PerKind = Record<Kind, number>;

export interface TracingCostResult {
  runs: number;
  calls: number;
  /** Spawn → first tools/list answered, median: wall time, and the server's CPU time by then. */
  cold_start_ms: PerKind;
  cold_start_cpu_ms: PerKind;
  per_call_p50_ms: PerKind;
  per_call_p95_ms: PerKind;
  /** The server's CPU time per call over the measured calls (exports included, for `on`). */
  per_call_cpu_ms: PerKind;
  /** Spans the receiver decoded per call with tracing on (the tool call, its Taiga request, its store operation). */
  spans_per_call: number;
}

const TICK_MS = 1000 / (Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);

/** User + system CPU time of a process so far, in ms (Linux: /proc/<pid>/stat, fields 14 and 15). */
function cpuMs(pid: number | null): number {
  if (pid === null) throw new Error('no pid');
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

async function coldStart(script: string, env: Record<string, string>): Promise<{ ms: number; cpu: number }> {
  const t0 = now();
  const spawned = await spawnClient(script, env);
  try {
    await spawned.client.request({ method: 'tools/list' }, ListToolsResultSchema);
    return { ms: now() - t0, cpu: cpuMs(spawned.pid) };
  } finally {
    await spawned.close();
  }
}

export async function measureTracingCost(runs = 11, calls = 300, warmup = 30): Promise<TracingCostResult> {
  const emulator = await startEmulator();
  const receiver = await startOtlpReceiver();
  const clients: SpawnedClient[] = [];
  try {
    const limits = { TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' };
    const envs: Record<Kind, Record<string, string>> = {
      bare: serverEnv(emulator.url),
      off: serverEnv(emulator.url, limits),
      on: serverEnv(emulator.url, { ...limits, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }),
    };
    const scripts: Record<Kind, string> = { bare: BARE_SERVER, off: CLI, on: CLI };
    const order: Kind[] = ['bare', 'off', 'on'];
    const rotated = async (rounds: number, run: (kind: Kind) => Promise<void>) => {
      for (let i = 0; i < rounds; i++) for (let k = 0; k < order.length; k++) await run(order[(i + k) % order.length]!);
    };

    const start = { ms: { bare: [], off: [], on: [] } as Record<Kind, number[]>, cpu: { bare: [], off: [], on: [] } as Record<Kind, number[]> };
    for (const kind of order) await coldStart(scripts[kind], envs[kind]);
    await rotated(runs, async (kind) => {
      const r = await coldStart(scripts[kind], envs[kind]);
      start.ms[kind].push(r.ms);
      start.cpu[kind].push(r.cpu);
    });

    const token = await login(emulator.apiUrl);
    const servers: Record<Kind, SpawnedClient> = {
      bare: await spawnClient(BARE_SERVER, serverEnv(emulator.url, { BARE_TAIGA_API: emulator.apiUrl, BARE_TAIGA_TOKEN: token })),
      off: await spawnClient(CLI, envs.off),
      on: await spawnClient(CLI, envs.on),
    };
    clients.push(...Object.values(servers));
    const call = (kind: Kind) => (kind === 'bare' ? servers.bare.call('taiga_get', { path: '/userstories/3' }) : servers[kind].call('get_user_story', { user_story_id: 3 }));
    await rotated(warmup, async (kind) => void (await call(kind)));
    const cpuBefore = Object.fromEntries(order.map((kind) => [kind, cpuMs(servers[kind].pid)])) as PerKind;
    const ms: Record<Kind, number[]> = { bare: [], off: [], on: [] };
    await rotated(calls, async (kind) => {
      const t0 = now();
      await call(kind);
      ms[kind].push(now() - t0);
    });
    const cpu = Object.fromEntries(order.map((kind) => [kind, round((cpuMs(servers[kind].pid) - cpuBefore[kind]) / calls, 3)])) as PerKind;
    // Spans go out in batches: closing the server exports the last one.
    await servers.on.close();
    const traced = warmup + calls;
    const spans = await receiver.waitFor((s) => (s.filter((x) => x.name === 'tools/call get_user_story').length >= traced ? s : undefined), 30_000);

    const each = (f: (kind: Kind) => number): PerKind => ({ bare: f('bare'), off: f('off'), on: f('on') });
    return {
      runs,
      calls,
      cold_start_ms: each((k) => round(median(start.ms[k]), 1)),
      cold_start_cpu_ms: each((k) => round(median(start.cpu[k]), 1)),
      per_call_p50_ms: each((k) => round(percentile(ms[k], 50), 3)),
      per_call_p95_ms: each((k) => round(percentile(ms[k], 95), 3)),
      per_call_cpu_ms: cpu,
      spans_per_call: round(spans.length / traced, 2),
    };
  } finally {
    for (const client of clients) await client.close().catch(() => undefined);
    await receiver.close();
    await emulator.close();
  }
}
