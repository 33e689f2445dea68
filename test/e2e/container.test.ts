import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { modernHttpClient, rawRequest } from '../helpers/http-server.js';
import { freePort } from '../helpers/redis-server.js';

// The Containerfile built and run with Debian's podman (as root): no image can be pulled here, so
// it builds on a base made from Debian packages and this machine's Node (.ci/container-base, run by
// .ci/run). Measured gotchas: crun fails on this machine's hybrid cgroups (runc works), podman's
// default rlimits are refused, HEALTHCHECK survives only in the docker format, and with no systemd
// a health check runs only through `podman healthcheck run`.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BASE = 'localhost/taiga-mcp-ci/node:20-bookworm';
const IMAGE = 'localhost/taiga-mcp:test';
const LIMITS = ['--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=4096:4096'];
const container = `taiga-mcp-test-${randomBytes(4).toString('hex')}`;
const key = newApiKey();
let url: string;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** podman with runc; fails (never skips) when podman is not installed. */
function podman(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', ['--runtime', 'runc', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', (err) => reject(new Error(`podman is not installed: apt-get install -y podman runc (${err.message})`)));
    child.once('close', (code) => resolve({ code, out, err }));
  });
}

async function podmanOk(...args: string[]): Promise<string> {
  const run = await podman(...args);
  assert.equal(run.code, 0, `podman ${args.slice(0, 3).join(' ')}…: ${(run.out + run.err).slice(-3000)}`);
  return run.out;
}

before(async () => {
  assert.equal((await podman('image', 'exists', BASE)).code, 0, `no base image ${BASE}: run .ci/container-base (needs debootstrap, podman, runc)`);
  const previous = (await podman('image', 'inspect', '--format', '{{.Id}}', IMAGE)).out.trim();
  // The host's npm cache lends the build its tarballs (the lock file pins them by integrity): the
  // same packages as from the registry, without downloading them again.
  const npmCache = process.env['npm_config_cache'] || join(homedir(), '.npm');
  await podmanOk('build', '--format', 'docker', ...LIMITS, '--build-arg', `NODE_IMAGE=${BASE}`, '--volume', `${npmCache}:/root/.npm`, '-f', join(ROOT, 'Containerfile'), '-t', IMAGE, ROOT);
  const built = (await podmanOk('image', 'inspect', '--format', '{{.Id}}', IMAGE)).trim();
  if (previous && previous !== built) await podman('rmi', previous);

  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-container-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ http: { publicUrl: url, auth: { apiKeys: [{ sha256: key.sha256, principal: 'alice' }] } } }));
  chmodSync(config, 0o644);
  // As the README says to run it: read-only root, a volume for the state directory, the config mounted.
  await podmanOk('run', '-d', '--name', container, ...LIMITS, '--read-only', '--volume', '/var/lib/taiga-mcp', '--volume', `${config}:/etc/taiga-mcp/config.json:ro`, '--env', 'TAIGA_MCP_DEMO=true', '--publish', `127.0.0.1:${port}:8787`, IMAGE);
  for (let i = 0; ; i++) {
    const answer = await rawRequest(`${url}/healthz`, { method: 'GET' }).catch(() => undefined);
    if (answer?.status === 200) break;
    const running = (await podman('container', 'inspect', '--format', '{{.State.Running}}', container)).out.trim() === 'true';
    assert.ok(i < 120 && running, `the container did not answer /healthz: ${await podman('logs', container).then((r) => (r.out + r.err).slice(-2000))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});
after(async () => {
  await podman('rm', '--force', '--volumes', container);
});

test('the image: runs the package bin as uid 10001, HEALTHCHECK on /healthz, only dist/ and the production dependencies', async () => {
  const [image] = JSON.parse(await podmanOk('image', 'inspect', IMAGE)) as { Config: { User: string; Entrypoint: string[] }; Healthcheck?: { Test: string[] } }[];
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[]; dependencies: Record<string, string> };
  assert.equal(image!.Config.User, '10001:10001');
  assert.deepEqual(image!.Config.Entrypoint, ['node', `/opt/taiga-mcp/${pkg.bin['taiga-mcp']}`]);
  assert.match(image!.Healthcheck?.Test.join(' ') ?? '', /127\.0\.0\.1:8787\/healthz/);

  const listing = `const { readdirSync } = require('node:fs');
    const ls = (d) => readdirSync(d).filter((n) => !n.startsWith('.')).sort();
    const modules = ls('node_modules').flatMap((n) => (n.startsWith('@') ? ls('node_modules/' + n).map((m) => n + '/' + m) : [n]));
    console.log(JSON.stringify({ top: ls('.'), dist: ls('dist'), modules }));`;
  const seen = JSON.parse(await podmanOk('run', '--rm', ...LIMITS, '--entrypoint', 'node', IMAGE, '-e', listing)) as { top: string[]; dist: string[]; modules: string[] };
  assert.deepEqual(seen.top, ['README.md', 'config', 'dist', 'node_modules', 'package.json']);
  assert.deepEqual(seen.dist, pkg.files.filter((f) => f.startsWith('dist/')).map((f) => f.slice('dist/'.length)).sort());
  // Exactly the lock file's production tree (hoisted top level), nothing a dev dependency brings.
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const production = Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !path.slice('node_modules/'.length).includes('node_modules/') && !entry.dev)
    .map(([path]) => path.slice('node_modules/'.length))
    .sort();
  assert.deepEqual(seen.modules, production);
  for (const dependency of Object.keys(pkg.dependencies)) assert.ok(seen.modules.includes(dependency), dependency);
});

test('the container runs read-only as uid 10001; `podman healthcheck run` says healthy, and unhealthy while the server is stopped', async () => {
  assert.match(await podmanOk('exec', container, 'cat', '/proc/1/status'), /^Uid:\s+10001\s+10001/m);
  const write = await podman('exec', container, 'touch', '/opt/taiga-mcp/written');
  assert.notEqual(write.code, 0);
  assert.match(write.err, /Read-only file system/);

  assert.equal((await podman('healthcheck', 'run', container)).code, 0);
  await podmanOk('kill', '--signal', 'SIGSTOP', container);
  try {
    const stopped = await podman('healthcheck', 'run', container);
    assert.equal(stopped.code, 1, stopped.out + stopped.err);
    assert.match(stopped.out, /unhealthy/);
  } finally {
    await podmanOk('kill', '--signal', 'SIGCONT', container);
  }
  assert.equal((await podman('healthcheck', 'run', container)).code, 0);
});

test('an MCP client calls a tool in the container over HTTP (the demo Taiga inside); without the key, 401', async () => {
  const client = await modernHttpClient(`${url}/mcp`, key.key);
  try {
    const result = (await client.callTool({ name: 'list_projects', arguments: {} })) as CallToolResult;
    assert.ok(!result.isError, JSON.stringify(result.content).slice(0, 300));
    assert.ok(JSON.stringify(result.structuredContent).includes('"slug"'));
  } finally {
    await client.close();
  }
  assert.equal((await rawRequest(`${url}/mcp`, { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) })).status, 401);
});
