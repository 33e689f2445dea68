import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { makePki } from '../helpers/certs.js';
import { cliArgs, freePort, pings, spawnRedis, type RedisTls } from '../helpers/redis-server.js';
import { startCluster } from '../helpers/redis-cluster.js';
import { startSentinel } from '../helpers/redis-sentinel.js';
import { callTool, startHttpMcp } from '../helpers/http-server.js';

// rediss:// as the README promises it, through the shipped bin: one Redis, a Cluster (the nodes it
// discovers too) and a Sentinel set-up (the Sentinels and the master they name), each served over
// TLS only, with the private CA given the Node way (NODE_EXTRA_CA_CERTS). A Redis whose certificate
// is not trusted is not used: the store is unavailable, nothing is sent in the clear.
let emulator: Emulator;
let tls: RedisTls;
const alice = newApiKey();
const stops: Array<() => unknown> = [];

before(async () => {
  emulator = await startEmulator();
  const pki = makePki();
  const server = pki.server('redis', true);
  tls = { certFile: server.certFile, keyFile: server.keyFile, caFile: pki.ca.certFile };
});
after(async () => {
  for (const stop of stops.reverse()) await stop();
  await emulator?.close();
});

/** The bin over HTTP with this store; logs a user in and lists projects. */
async function sessionOn(store: Record<string, unknown>, trusted = true): Promise<{ login: Awaited<ReturnType<typeof callTool>>; listed?: boolean; stderr: string }> {
  const server = await startHttpMcp({
    emulator,
    credentials: false,
    env: { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64'), ...(trusted && { NODE_EXTRA_CA_CERTS: tls.caFile }) },
    config: { store: { kind: 'redis', keyPrefix: 'tls:', commandTimeoutMs: 2000, ...store } },
    http: { auth: { apiKeys: [{ sha256: alice.sha256, principal: 'alice' }] } },
  });
  try {
    const login = await callTool(server, alice.key, 'login', { username: 'user2', password: '123123' });
    if (!login.ok) return { login, stderr: server.stderr() };
    const listed = await callTool(server, alice.key, 'list_projects', { session_id: login.data['session_id'] });
    return { login, listed: listed.ok, stderr: server.stderr() };
  } finally {
    await server.stop();
  }
}

/** The session keys in the Redis at `port`. */
const sessionKeys = (port: number): string[] => spawnSync('redis-cli', [...cliArgs(port, tls), '--scan', '--pattern', 'tls:*'], { encoding: 'utf8', timeout: 5000 }).stdout.split('\n').filter(Boolean);

test('store.url rediss://: sessions are kept on a Redis served over TLS only; one whose certificate is not trusted is not used', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const redis = spawnRedis(port, undefined, tls);
  stops.push(() => redis.kill('SIGKILL'));
  assert.ok(await pings('127.0.0.1', port, 5000, tls), 'the TLS Redis answers');
  const url = `rediss://127.0.0.1:${port}`;

  const refused = await sessionOn({ url }, false);
  assert.deepEqual(refused.login, { ok: false, code: 'STORE_UNAVAILABLE' });
  assert.deepEqual(sessionKeys(port), []);

  const served = await sessionOn({ url });
  assert.ok(served.login.ok, JSON.stringify(served.login));
  assert.equal(served.listed, true);
  assert.ok(sessionKeys(port).length > 0, 'the session is in the TLS Redis');
  assert.doesNotMatch(served.stderr, /not reachable/);
});

test('store.cluster rediss://: the first URL\'s TLS reaches every node the cluster names', { timeout: 90_000 }, async () => {
  const cluster = await startCluster({ masters: 3, replicasEach: 0, tls });
  stops.push(() => cluster.close());
  assert.match(cluster.rootUrls[0]!, /^rediss:/);
  // One root node: the other masters are found from it, and reached over TLS as well.
  const served = await sessionOn({ cluster: cluster.rootUrls.slice(0, 1) });
  assert.ok(served.login.ok, JSON.stringify(served.login));
  assert.equal(served.listed, true);
  assert.ok(cluster.nodes.some((n) => sessionKeys(n.port).length > 0), 'the session is in the cluster');
});

test('store.sentinel rediss://: the Sentinels and the master they name are reached over TLS', { timeout: 60_000 }, async () => {
  const sentinel = await startSentinel({ tls });
  stops.push(() => sentinel.close());
  assert.match(sentinel.sentinelUrls[0]!, /^rediss:/);
  const served = await sessionOn({ sentinel: { name: sentinel.name, nodes: sentinel.sentinelUrls } });
  assert.ok(served.login.ok, JSON.stringify(served.login));
  assert.equal(served.listed, true);
  assert.ok(sessionKeys(sentinel.masterPort()).length > 0, 'the session is on the master');
});
