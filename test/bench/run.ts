// `npm run bench`: every measurement in one run, each beside a baseline from the same run.
// Prints a markdown table and, last, one line of JSON (`BENCH_JSON {...}`) for CI.
import os from 'node:os';
import { measureColdStart, type ColdStartResult } from './cold-start.js';
import { measurePerCall, type PerCallResult } from './per-call.js';
import { measureToolsList, type ToolsListResult } from './tools-list.js';
import { measureLeanOutput, type LeanOutputResult } from './lean-output.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { measureCallMemory, type CallMemoryResult } from './call-memory.js';
import { measureHttpThroughput, type HttpThroughputResult } from './http-throughput.js';
import { measureTracingCost, type TracingCostResult } from './tracing-cost.js';
import { measureViews, type ViewsResult } from './views.js';
import { measureIntents, type Cost } from './intents.js';
import { measureRateLimits, type RateLimitResult } from './rate-limits.js';
import { now, round } from './util.js';

interface Results {
  cold_start?: ColdStartResult;
  per_call?: PerCallResult;
  tools_list?: ToolsListResult;
  lean_output?: LeanOutputResult;
  memory?: MemoryResult;
  call_memory?: CallMemoryResult;
  http_throughput?: HttpThroughputResult;
  tracing?: TracingCostResult;
  views?: ViewsResult;
  intents?: Array<{ intent: string } & Cost>;
  rate_limits?: RateLimitResult;
}

const results: Results = {};
const failures: Record<string, string> = {};
const durations: Record<string, number> = {};

async function step<K extends keyof Results>(key: K, label: string, fn: () => Promise<NonNullable<Results[K]>>): Promise<void> {
  process.stderr.write(`bench: ${label}…\n`);
  const t0 = now();
  try {
    results[key] = await fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    failures[key] = message;
    process.stderr.write(`bench: ${label} FAILED: ${message}\n`);
  } finally {
    durations[key] = round((now() - t0) / 1000, 1);
  }
}

const kb = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const x = (r: number): string => `${r.toFixed(2)}×`;

function table(): string {
  const rows: string[][] = [];
  const fail = (key: keyof Results, name: string) => rows.push([name, 'FAILED', 'see the FAILED lines below', '']);
  const c = results.cold_start;
  if (c) {
    rows.push([`Cold start → first tools/list, ${c.server_tools} tools (median of ${c.runs})`, ms(c.server_median_ms), `bare 1-tool SDK v2 server ${ms(c.bare_median_ms)}`, x(c.ratio)]);
    rows.push(['Cold start, reference: bare SDK v1 server', ms(c.bare_v1_median_ms), `taiga-mcp / v1 ${x(c.ratio_v1)}`, '']);
    rows.push(['Cold start, reference: taiga-mcp unbundled (dist/core/cli.js)', ms(c.unbundled_median_ms), `/ bare v2 ${x(c.unbundled_median_ms / c.bare_median_ms)}`, '']);
  } else fail('cold_start', 'Cold start');
  const p = results.per_call;
  if (p) {
    for (const pair of p.pairs) {
      rows.push([`${pair.tool} p50 (${p.calls} calls)`, ms(pair.mcp.p50_ms), `bare SDK server, same GET ${ms(pair.floor.p50_ms)}`, x(pair.ratio_p50)]);
      rows.push([`${pair.tool} p95`, ms(pair.mcp.p95_ms), `bare SDK server, same GET ${ms(pair.floor.p95_ms)}`, x(pair.ratio_p95)]);
      rows.push([`${pair.tool}: direct undici GET p50 / p95; Taiga requests per call`, `${ms(pair.direct.p50_ms)} / ${ms(pair.direct.p95_ms)}`, `GET ${pair.path}`, String(pair.taiga_requests_per_call)]);
    }
  } else fail('per_call', 'Per-call overhead');
  const t = results.tools_list;
  if (t) {
    rows.push(['tools/list result JSON', kb(t.list_bytes), `${t.tools} tools`, '']);
    rows.push(['name+description+inputSchema', `${t.model_tokens} tok (${kb(t.model_bytes)})`, `${t.tools} tools`, '']);
    rows.push(['o200k tokens per tool', String(t.tokens_per_tool), `bare server's tool ${t.bare_tokens_per_tool}`, x(t.ratio_tokens_per_tool)]);
    rows.push(['largest tools (tokens)', t.largest.map((l) => `${l.name} ${l.tokens}`).join(', '), '', '']);
    rows.push(['`default` toolset selection', `${t.default_tokens} tok`, `${t.default_tools} tools; budget 3,500`, x(t.default_tokens / 3500)]);
    for (const [id, ts] of Object.entries(t.toolsets)) rows.push([`toolset ${id}`, `${ts.tokens} tok`, `${ts.tools} tools, ${round(ts.tokens / ts.tools, 1)} per tool`, '']);
  } else fail('tools_list', 'tools/list size');
  const l = results.lean_output;
  if (l) {
    const x3 = (r: number): string => `${r.toFixed(3)}×`;
    for (const row of l.rows) {
      const what = row.items > 1 ? `${row.tool} (${row.items} items)` : row.tool;
      rows.push([`${what}: text / structuredContent`, `${kb(row.text_bytes)} / ${kb(row.structured_bytes)}`, `Taiga's JSON ${kb(row.raw_bytes)}`, `${x3(row.ratio_text)} / ${x3(row.ratio_structured)}; both ${x3(row.ratio_both)}, floor ${x3(row.ratio_floor)}`]);
    }
  } else fail('lean_output', 'Lean output');
  const it = results.intents;
  if (it) for (const r of it) rows.push([`intent "${r.intent}": calls / o200k tokens read`, `${r.calls} / ${r.tokens}`, '', '']);
  else fail('intents', 'Cost per intent');
  const cm = results.call_memory;
  if (cm) {
    for (const w of cm.windows) {
      rows.push([`RSS growth over ${cm.calls.toLocaleString('en')} calls after ${w.after_calls.toLocaleString('en')}`, mib(w.rss_growth_bytes), `lowest RSS, first → last quarter ${mib(w.rss_first_quarter_bytes)} → ${mib(w.rss_last_quarter_bytes)}, max ${mib(w.rss_max_bytes)}; budget 10 MiB`, x(w.rss_growth_bytes / (10 * 1048576))]);
      const heap = w.heap_growth_bytes === null ? 'no full GC' : mib(w.heap_growth_bytes);
      rows.push([`  live heap after full GCs, same calls`, heap, `${w.heap_first_quarter_bytes === null ? '?' : mib(w.heap_first_quarter_bytes)} → ${w.heap_last_quarter_bytes === null ? '?' : mib(w.heap_last_quarter_bytes)} (${w.full_gcs} full GCs)`, '']);
    }
  } else fail('call_memory', 'Memory over many calls');
  const m = results.memory;
  if (m) {
    for (const s of m.samples) {
      rows.push([`MemoryStore, ${s.sessions.toLocaleString('en')} sessions: heap`, `${mib(s.heap_delta_bytes)} (${s.heap_per_session} B/session)`, `payload ${s.payload_per_session} B/session`, x(s.ratio_heap_to_payload)]);
      rows.push([`MemoryStore, ${s.sessions.toLocaleString('en')} sessions: RSS`, `${mib(s.rss_delta_bytes)} (${s.rss_per_session} B/session)`, `filled in ${s.fill_ms} ms`, '']);
    }
    const first = m.samples[0];
    if (first) rows.push(['MemoryStore, empty session caches once made (preallocated LRU slots)', mib(first.empty_store_bytes), 'heap + typed arrays', '']);
    if (m.skipped) rows.push(['MemoryStore, 100,000 sessions', 'skipped', m.skipped, '']);
  } else fail('memory', 'Memory with many sessions');

  const h = results.http_throughput;
  if (h) {
    const floor = h.runs[0]!;
    for (const run of h.runs) {
      rows.push([`get_user_story, ${h.clients} clients: ${run.transport}`, `${run.calls_per_s} calls/s, p50 ${ms(run.p50_ms)}, p95 ${ms(run.p95_ms)}`, `${run.errors} errors; server RSS ${run.server_rss_mb ?? '?'} MiB`, run === floor ? '' : x(run.calls_per_s / floor.calls_per_s)]);
    }
    rows.push(['HTTP: Redis store / in-memory store (calls/s)', x(h.redis_vs_memory), 'target ≥ 0.80×', '']);
  } else fail('http_throughput', 'HTTP throughput');

  const tr = results.tracing;
  if (tr) {
    const [c, cc, p50, p95, cpu] = [tr.cold_start_ms, tr.cold_start_cpu_ms, tr.per_call_p50_ms, tr.per_call_p95_ms, tr.per_call_cpu_ms];
    const onOff = (on: number, off: number, bare: number) => `${x(on / bare)}; on / off ${x(on / off)}`;
    rows.push([`Cold start, tracing off (median of ${tr.runs}; OpenTelemetry not loaded): wall / server CPU`, `${ms(c.off)} / ${ms(cc.off)}`, `bare SDK v2 server ${ms(c.bare)} / ${ms(cc.bare)}`, `${x(c.off / c.bare)} / ${x(cc.off / cc.bare)}`]);
    rows.push(['Cold start, tracing on (OTLP/HTTP protobuf, loopback): wall', ms(c.on), `bare ${ms(c.bare)}; off ${ms(c.off)}`, onOff(c.on, c.off, c.bare)]);
    rows.push(['Cold start, tracing on: server CPU', ms(cc.on), `bare ${ms(cc.bare)}; off ${ms(cc.off)}`, onOff(cc.on, cc.off, cc.bare)]);
    rows.push([`get_user_story p50, tracing off / on (${tr.calls} calls)`, `${ms(p50.off)} / ${ms(p50.on)}`, `bare SDK server, same GET ${ms(p50.bare)}`, `${x(p50.off / p50.bare)} / ${x(p50.on / p50.bare)}; on / off ${x(p50.on / p50.off)}`]);
    rows.push(['get_user_story p95, tracing off / on', `${ms(p95.off)} / ${ms(p95.on)}`, `bare ${ms(p95.bare)}`, `${x(p95.off / p95.bare)} / ${x(p95.on / p95.bare)}; on / off ${x(p95.on / p95.off)}`]);
    rows.push([`Server CPU per call, tracing off / on (${tr.spans_per_call} spans a call, exports included)`, `${ms(cpu.off)} / ${ms(cpu.on)}`, `bare ${ms(cpu.bare)}`, `${x(cpu.off / cpu.bare)} / ${x(cpu.on / cpu.bare)}; on / off ${x(cpu.on / cpu.off)}`]);
  } else fail('tracing', 'Tracing cost');

  const rl = results.rate_limits;
  if (rl) {
    for (const r of rl.runs) {
      rows.push([
        `Tool-call limit (burst ${rl.burst}, ${rl.per_second}/s), ${r.principals} principals × ${r.seconds} s, ${r.store}: over budget / starved`,
        `${r.over_budget} / ${r.starved} (must be 0 / 0)`,
        `${r.granted} let through, ${r.refused} refused, ${r.errors} errors; ${r.limited} principals reached the limit`,
        `max excess ${r.max_excess}; share of budget ${r.min_share}–${r.max_share}`,
      ]);
    }
  } else fail('rate_limits', 'Tool-call limit under load');

  const v = results.views;
  if (v) {
    for (const view of v.views) {
      rows.push([`MCP Apps view ${view.name}: page served (gzip)`, `${kb(view.page_bytes)} (${kb(view.page_gzip_bytes)})`, `the same view with the App's dependencies whole ${kb(view.untrimmed_page_bytes)}`, x(view.ratio_page)]);
      rows.push([`  view code / CSS / App class and its dependencies`, `${kb(view.view_code_bytes)} / ${kb(view.css_bytes)} / ${kb(view.app_bytes)}`, `App whole ${kb(view.untrimmed_app_bytes)}`, x(view.app_bytes / view.untrimmed_app_bytes)]);
    }
    const parts = (by: Record<string, number>) => Object.entries(by).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${kb(n)}`).join(', ');
    rows.push(['  App bundle by package', parts(v.app_by_package), `whole: ${parts(v.untrimmed_app_by_package)}`, '']);
  } else fail('views', 'MCP Apps views');

  const head = ['Measurement', 'taiga-mcp', 'Baseline (same run)', 'Ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const started = now();
await step('cold_start', 'cold start (9 × 4 spawns)', () => measureColdStart(9));
await step('per_call', 'per-call overhead (2 tools × 3 × 300 calls)', () => measurePerCall(300, 30));
await step('tools_list', 'tools/list size', () => measureToolsList());
await step('lean_output', 'lean output per tool kind (30-item pages)', () => measureLeanOutput());
await step('intents', 'cost per intent (seven intents, the shortest way each)', () => measureIntents());
await step('call_memory', 'memory over 20,000 calls, twice (after 2,000 and after 12,000)', () => measureCallMemory(20_000));
await step('memory', 'memory with many sessions', () => measureMemory());
await step('tracing', 'tracing off and on: cold start (11 × 3 spawns) and per call (3 × 300 calls)', () => measureTracingCost(11, 300, 30));
await step('http_throughput', 'HTTP throughput (100 principals; floor, memory store, Redis store, stdio)', () => measureHttpThroughput(100, 8));
await step('rate_limits', 'the default tool-call limit, 100 principals (in memory and Redis)', () => measureRateLimits(100, 4));
await step('views', 'MCP Apps views: page bytes', () => measureViews());
const total = round((now() - started) / 1000, 1);

const env = `node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`;
const notes = [
  'Ratios compare against a baseline measured in this same run; absolute times depend on the machine.',
  'HTTP throughput ratios are against the bare SDK v2 server over HTTP (createMcpHandler, one tool making the same GET, no auth): the floor for any server on this SDK; stdio is one client with 100 calls in flight.',
  'Memory RSS deltas include V8 heap growth (young-generation semi-spaces), so they are noisy at 10,000; heap is the figure to compare.',
  'Tracing: off is the server with no OTLP endpoint, which never loads OpenTelemetry and has no trace stage in its pipeline (test/e2e/tracing.test.ts checks the module loads); on exports every span to a receiver on loopback. Server CPU is the server process\'s own (/proc, 10 ms ticks), which other processes on a busy machine do not inflate the way they do wall time.',
  'Tool-call limit: each principal (an API key) calls for its 4 s, 200 ms after the one before, as fast as it is answered, and waits the retry_after_seconds it is told when refused. Over budget: granted more than burst + rate × its elapsed time (first call sent to last answer, which holds the server\'s). Starved: refused while burst + rate × the least time the server can have seen, less what it was granted, left at least one token. The calls name no user story: the limit is the stage before validation, so what it lets through is answered INVALID_INPUT without a Taiga request, and the limiter, not the emulator, is what is measured. Share of budget below 1 is the end of the window (a principal waiting out its last refusal).',
  'Memory over calls: a leak raises the live heap after full GCs; RSS also rises while V8 sizes its heaps to the load, which the second window (after 12,000 calls) shows settled.',
];
process.stdout.write(`\n## taiga-mcp benchmark\n\n${env}; total ${total} s\n\n${table()}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n\n`);
for (const [key, message] of Object.entries(failures)) process.stdout.write(`FAILED ${key}: ${message}\n`);
if (Object.keys(failures).length) process.stdout.write('\n');
process.stdout.write(`BENCH_JSON ${JSON.stringify({ node: process.version, cpus: os.cpus().length, total_s: total, durations_s: durations, ...results, failures })}\n`);
process.exitCode = Object.keys(failures).length ? 1 : 0;
