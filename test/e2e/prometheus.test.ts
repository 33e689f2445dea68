import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { createMetrics } from '../../core/http/metrics.js';
import { modernHttpClient } from '../helpers/http-server.js';
import { DEPLOY_DIR, startDeployment, type Deployment } from '../helpers/deployment.js';
import { freePort } from '../helpers/redis-server.js';

// examples/deploy/'s monitoring: the alert rules pass their promtool unit tests, and a real
// Prometheus (Debian's `prometheus`, which `.ci/run` installs) runs the example prometheus.yml
// against the two-instance deployment: it scrapes both, loads the alerts, and the tool calls made
// through the load balancer come back through its query API. The Grafana dashboard's queries
// evaluate there and name only metrics and labels the server exports.
let deployment: Deployment;
let prometheus: ChildProcess;
let prometheusLog = '';
let api: string;

/** The example config with this run's targets and a 1 s interval (15 s would make the test wait): the only changes. */
function prometheusConfig(targets: string[]): string {
  const text = readFileSync(join(DEPLOY_DIR, 'prometheus.yml'), 'utf8');
  const listed = "['127.0.0.1:9801', '127.0.0.1:9802']";
  assert.ok(text.includes(listed) && text.includes('scrape_interval: 15s') && text.includes('evaluation_interval: 15s'));
  return text
    .replace(listed, JSON.stringify(targets))
    .replace('scrape_interval: 15s', 'scrape_interval: 1s')
    .replace('evaluation_interval: 15s', 'evaluation_interval: 1s');
}

function promtool(...args: string[]): string {
  const run = spawnSync('promtool', args, { cwd: DEPLOY_DIR, encoding: 'utf8' });
  assert.ifError(run.error ? new Error(`promtool is not installed: apt-get install -y prometheus (${run.error.message})`) : null);
  assert.equal(run.status, 0, `promtool ${args.join(' ')}:\n${run.stdout}${run.stderr}`);
  return run.stdout + run.stderr;
}

async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(`${api}${path}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  assert.equal(body.status, 'success', `${path}: ${body.error ?? res.status}`);
  return body.data;
}

type Vector = { metric: Record<string, string>; value: [number, string] }[];
const query = (expr: string) => apiGet<{ resultType: string; result: Vector }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);

/** Retries `check` until it passes (scrapes and evaluations come each second); fails with its last failure. */
async function eventually<T>(what: string, check: () => Promise<T>, seconds = 30): Promise<T> {
  let last: unknown;
  for (const until = Date.now() + seconds * 1000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
  }
  assert.fail(`${what} within ${seconds} s: ${last instanceof Error ? last.message : String(last)}\nPrometheus log:\n${prometheusLog.slice(-1500)}`);
}

before(async () => {
  deployment = await startDeployment();
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-prometheus-'));
  const targets = deployment.instances.map((i) => new URL(i.opsUrl!).host);
  writeFileSync(join(dir, 'prometheus.yml'), prometheusConfig(targets));
  copyFileSync(join(DEPLOY_DIR, 'alerts.yml'), join(dir, 'alerts.yml'));
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  prometheus.stderr!.on('data', (c: Buffer) => (prometheusLog += c.toString()));
  const started = await new Promise<boolean>((resolve) => {
    prometheus.once('error', () => resolve(false));
    prometheus.once('spawn', () => resolve(true));
  });
  assert.ok(started, 'prometheus is not installed: apt-get install -y prometheus');
  await eventually('Prometheus ready', async () => assert.ok((await fetch(`${api}/-/ready`)).ok));
});
after(async () => {
  prometheus?.kill('SIGTERM');
  await deployment?.stop();
});

test('the alert rules pass their unit tests; the config and the rules are valid (promtool)', () => {
  assert.match(promtool('test', 'rules', 'alerts.test.yml'), /SUCCESS/);
  assert.match(promtool('check', 'config', 'prometheus.yml'), /SUCCESS: 6 rules found/);
  // compose.yaml's, with alerts.yml beside it as compose mounts it.
  const compose = mkdtempSync(join(tmpdir(), 'taiga-mcp-compose-'));
  copyFileSync(join(DEPLOY_DIR, 'compose', 'prometheus.yml'), join(compose, 'prometheus.yml'));
  copyFileSync(join(DEPLOY_DIR, 'alerts.yml'), join(compose, 'alerts.yml'));
  assert.match(promtool('check', 'config', join(compose, 'prometheus.yml')), /SUCCESS: 6 rules found/);
});

test('Prometheus scrapes both instances on their ops listeners', async () => {
  const scraped = deployment.instances.map((i) => `${i.opsUrl}/metrics`).sort();
  await eventually('both targets up', async () => {
    const { activeTargets } = await apiGet<{ activeTargets: { scrapeUrl: string; health: string; labels: Record<string, string> }[] }>('/api/v1/targets?state=active');
    const up = activeTargets.filter((t) => t.health === 'up' && t.labels['job'] === 'taiga-mcp').map((t) => t.scrapeUrl);
    assert.deepEqual(up.sort(), scraped, JSON.stringify(activeTargets));
  });
});

test('tool calls made through the load balancer come back through the query API, per instance as each one counted them', async () => {
  const client = await modernHttpClient(deployment.lbUrl, deployment.key);
  const calls = 6;
  try {
    for (let i = 0; i < calls; i++) assert.ok(!((await client.callTool({ name: 'list_projects', arguments: {} })) as CallToolResult).isError);
  } finally {
    await client.close();
  }
  const counted = await Promise.all(
    deployment.instances.map(async (instance) => {
      const text = await (await fetch(`${instance.opsUrl}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('taiga_mcp_tool_calls_total{tool="list_projects",outcome="ok"}'));
      return [new URL(instance.opsUrl!).host, Number(line?.split(' ').pop() ?? 0)] as const;
    }),
  );
  assert.ok(counted.every(([, n]) => n > 0), `round robin gave each instance calls: ${JSON.stringify(counted)}`);
  const expected = Object.fromEntries(counted);
  await eventually('the counter in Prometheus', async () => {
    const { result } = await query('sum by (instance) (taiga_mcp_tool_calls_total{job="taiga-mcp", tool="list_projects", outcome="ok"})');
    const seen = Object.fromEntries(result.map((r) => [r.metric['instance'], Number(r.value[1])]));
    assert.deepEqual(seen, expected);
  });
});

test('the alert rules are loaded and evaluate without error; none fires on a healthy deployment', async () => {
  const names = [...readFileSync(join(DEPLOY_DIR, 'alerts.yml'), 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]).sort();
  assert.equal(names.length, 6);
  await eventually('every rule evaluated', async () => {
    const { groups } = await apiGet<{ groups: { rules: { name: string; type: string; health: string; lastError?: string }[] }[] }>('/api/v1/rules');
    const rules = groups.flatMap((g) => g.rules);
    assert.deepEqual(rules.map((r) => r.name).sort(), names);
    for (const rule of rules) assert.ok(rule.type === 'alerting' && rule.health === 'ok', `${rule.name}: ${rule.health} ${rule.lastError ?? ""}`);
  });
  const { alerts } = await apiGet<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts');
  assert.deepEqual(alerts, []);
});

/** The names and labels a query and its legend use (every metric of ours starts with taiga_mcp_). */
function namesIn(text: string): { metrics: string[]; labels: string[] } {
  const metrics = [...text.matchAll(/\btaiga_mcp_\w+/g)].map((m) => m[0]);
  const matchers = [...text.matchAll(/\{([^{}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/(\w+)\s*(?:=~|!~|!=|=)\s*"/g)].map((l) => l[1]!));
  const grouped = [...text.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()));
  const legends = [...text.matchAll(/\{\{\s*\.?(\w+)\s*\}\}/g)].map((m) => m[1]!);
  return { metrics, labels: [...matchers, ...grouped, ...legends] };
}

test('the Grafana dashboard: every query evaluates in Prometheus and names only metrics and labels the server exports', async () => {
  const dashboard = JSON.parse(readFileSync(join(DEPLOY_DIR, 'grafana-dashboard.json'), 'utf8')) as {
    panels: { type: string; title: string; id: number; gridPos: { w: number; x: number }; targets?: { expr: string; legendFormat: string }[] }[];
    templating: { list: { name: string; query: string | { query: string } }[] };
  };
  const targets = dashboard.panels.filter((p) => p.type !== 'row').flatMap((p) => {
    assert.ok(p.targets?.length, `${p.title} has a query`);
    assert.ok(p.gridPos.x + p.gridPos.w <= 24, `${p.title} fits the grid`);
    return p.targets.map((t) => ({ ...t, panel: p.title }));
  });
  assert.equal(new Set(dashboard.panels.map((p) => p.id)).size, dashboard.panels.length, 'panel ids are unique');
  assert.ok(targets.length >= 15);

  const exposed = await (await fetch(`${deployment.instances[0]!.opsUrl}/metrics`)).text();
  const exported = new Set(
    [...exposed.matchAll(/^# TYPE (\w+) (\w+)$/gm)].flatMap(([, name, type]) => (type === 'histogram' ? [name!, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!])),
  );
  // Label names from the definitions: a counter shows a label only once it has counted something.
  const labels = new Set(['job', 'instance', 'le', ...createMetrics().registry.getMetricsAsArray().flatMap((m) => (m as { labelNames?: string[] }).labelNames ?? [])]);
  const alerts = readFileSync(join(DEPLOY_DIR, 'alerts.yml'), 'utf8');
  const variables = dashboard.templating.list.map((v) => (typeof v.query === 'string' ? '' : v.query.query)).join('\n');
  for (const [where, text] of [...targets.map((t) => [t.panel, `${t.expr}\n${t.legendFormat}`] as const), ['alerts.yml', alerts] as const, ['the dashboard variables', variables] as const]) {
    const used = namesIn(text);
    for (const metric of used.metrics) assert.ok(exported.has(metric), `${where}: ${metric} is not a metric the server exports`);
    for (const label of used.labels) assert.ok(labels.has(label), `${where}: ${label} is not a label of the server's metrics`);
  }

  // Grafana's variables as it would fill them in for this deployment.
  const concrete = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', 'taiga-mcp').replaceAll('$instance', '.*');
  for (const t of targets) {
    const { resultType } = await query(concrete(t.expr));
    assert.equal(resultType, 'vector', t.panel);
  }
  // A rate needs the counter to grow between two scrapes of a series that exists: call again.
  const client = await modernHttpClient(deployment.lbUrl, deployment.key);
  try {
    for (let i = 0; i < 4; i++) await client.callTool({ name: 'list_projects', arguments: {} });
  } finally {
    await client.close();
  }
  const byOutcome = concrete(targets.find((t) => t.panel === 'Calls by outcome')!.expr);
  await eventually('the calls of this run in the dashboard', async () => {
    const { result } = await query(byOutcome);
    assert.ok(result.some((r) => r.metric['outcome'] === 'ok' && Number(r.value[1]) > 0), JSON.stringify(result));
  });
});
