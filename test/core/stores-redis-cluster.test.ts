import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../core/logger.js';
import { RedisStore } from '../../core/sessions/redis-store.js';
import { createStore } from '../../core/sessions/create-store.js';
import { validateConfig } from '../../core/config/load.js';
import { TaigaMcpError } from '../../core/errors.js';
import { testCluster } from '../helpers/redis-cluster.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { storeContract } from './store-contract.js';
import { raceSuite } from './race-suite.js';

// The same contract and races as on one Redis, on a real Redis Cluster (3 masters, 3 replicas):
// every script touches keys of one hash slot, and the keys of one session spread over the masters.
const cluster = await testCluster();
const encryptionKey = randomBytes(32).toString('base64');
const options = () => ({ cluster: cluster.rootUrls, keyPrefix: `test:${randomUUID()}:`, encryptionKey, logger: createLogger('silent') });

storeContract('RedisStore on a Redis Cluster (two clients)', async () => {
  const opts = options();
  const store = await RedisStore.open(opts);
  const other = await RedisStore.open(opts);
  return { store, other, advance: (ms) => sleep(ms), jumps: false, close: async () => void (await Promise.all([store.close(), other.close()])) };
});

raceSuite('RedisStore on a Redis Cluster (two clients)', async () => {
  const opts = options();
  const [one, two] = await Promise.all([RedisStore.open(opts), RedisStore.open(opts)]);
  return { one, two, close: async () => void (await Promise.all([one.close(), two.close()])) };
});

test('config: store.cluster selects the cluster, store.sentinel the Sentinels; exactly one of url, cluster and sentinel; node URLs (passwords) never echoed', async () => {
  const store = await createStore(validateConfig({ store: { kind: 'redis', cluster: cluster.rootUrls, encryptionKey, commandTimeoutMs: 2000 } }), createLogger('silent'));
  try {
    assert.equal(await store.ready(), true, 'every master answers and the cluster is ok');
    assert.equal(await store.takeToken(`k:${randomUUID()}`, 1, 1), 0);
  } finally {
    await store.close();
  }
  const secret = 'redis://:hunter2-secret@127.0.0.1:1';
  const refused = [
    { kind: 'redis', url: secret, cluster: [secret] },
    { kind: 'redis', url: secret, sentinel: { name: 'm', nodes: [secret] } },
    { kind: 'redis', cluster: [] },
    { kind: 'redis', cluster: [secret, 'http://:hunter2-secret@127.0.0.1:1'] },
    { kind: 'redis', sentinel: { name: 'm', nodes: ['redis:/:hunter2-secret@127.0.0.1:1'] } },
    { kind: 'redis', sentinel: { name: '', nodes: [secret] } },
    { kind: 'redis', url: secret, commandTimeoutMs: 50 },
  ];
  for (const given of refused) {
    assert.throws(() => validateConfig({ store: given }), (e: TaigaMcpError) => e.code === 'CONFIG_INVALID' && !e.message.includes('hunter2'), JSON.stringify(given));
  }
  const sentinelStore = validateConfig({ store: { kind: 'redis', sentinel: { name: 'm', nodes: [secret] } } }).store;
  assert.deepEqual(sentinelStore, { kind: 'redis', sentinel: { name: 'm', nodes: [secret] }, keyPrefix: 'taiga-mcp:', commandTimeoutMs: 5000 });
});

test('a cluster none of whose listed nodes answers at start-up: STORE_UNAVAILABLE, and the store connects once one does', async () => {
  const proxy = new TcpProxy({ host: '127.0.0.1', port: cluster.nodes[0]!.port });
  await proxy.up();
  await proxy.down();
  const store = await RedisStore.open({ ...options(), cluster: [`redis://127.0.0.1:${proxy.port}`], connectTimeoutMs: 200 });
  try {
    await assert.rejects(store.takeToken(`k:${randomUUID()}`, 1, 1), (e: TaigaMcpError) => e.code === 'STORE_UNAVAILABLE');
    assert.equal(await store.ready(), false);
    await proxy.up();
    for (let i = 0; i < 100 && !(await store.ready()); i++) await sleep(100);
    assert.equal(await store.ready(), true, 'connected in the background');
    assert.equal(await store.takeToken(`k:${randomUUID()}`, 1, 1), 0);
  } finally {
    await store.close();
    await proxy.down();
  }
});
