import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { startCluster, type TestCluster } from '../helpers/redis-cluster.js';
import { callTool, startHttpMcp, type HttpMcp } from '../helpers/http-server.js';

// The shipped server (its bin, over HTTP) with its store on a real Redis Cluster: sessions work,
// and with the cluster's masters frozen a tool call answers STORE_UNAVAILABLE at the store's
// deadline, well inside the request's own (which would cut the response instead), and the same
// session works again once they answer.
let emulator: Emulator;
let cluster: TestCluster;
let server: HttpMcp;
const alice = newApiKey();

before(async () => {
  [emulator, cluster] = await Promise.all([startEmulator(), startCluster()]);
  server = await startHttpMcp({
    emulator,
    credentials: false,
    env: { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') },
    config: { store: { kind: 'redis', cluster: cluster.rootUrls, keyPrefix: 'e2e:', commandTimeoutMs: 1000 } },
    http: { requestTimeoutSeconds: 30, auth: { apiKeys: [{ sha256: alice.sha256, principal: 'alice' }] } },
  });
});
after(async () => {
  await server?.stop();
  cluster?.close();
  await emulator?.close();
});

const tool = (name: string, args: Record<string, unknown>) => callTool(server, alice.key, name, args);

test('on a Redis Cluster: a session works; every master frozen, the call answers STORE_UNAVAILABLE (not a cut response); thawed, the session works again', { timeout: 90_000 }, async () => {
  const login = await tool('login', { username: 'user2', password: '123123' });
  assert.ok(login.ok, JSON.stringify(login));
  const session_id = login.data['session_id'] as string;
  assert.ok((await tool('list_projects', { session_id })).ok);
  const masters = cluster.nodes.filter((n) => /^master/.test(n.cli('ROLE')));
  assert.equal(masters.length, 3);
  masters.forEach((m) => m.freeze());
  try {
    assert.deepEqual(await tool('list_projects', { session_id }), { ok: false, code: 'STORE_UNAVAILABLE' });
  } finally {
    masters.forEach((m) => m.thaw());
  }
  await cluster.settled();
  let again: Awaited<ReturnType<typeof tool>> = { ok: false, code: '' };
  for (let i = 0; i < 100 && !again.ok; i++) {
    again = await tool('session_status', { session_id });
    if (!again.ok) await sleep(200);
  }
  assert.ok(again.ok, JSON.stringify(again));
  assert.equal(again.data['username'], 'user2');
});
