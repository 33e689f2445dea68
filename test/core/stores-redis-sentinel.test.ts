import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../core/logger.js';
import { RedisStore } from '../../core/sessions/redis-store.js';
import { TaigaMcpError } from '../../core/errors.js';
import { startSentinel } from '../helpers/redis-sentinel.js';
import { replicaCaughtUp } from '../helpers/redis-server.js';
import { newSession, storeContract } from './store-contract.js';
import { createStore } from '../../core/sessions/create-store.js';
import { validateConfig } from '../../core/config/load.js';

// A master and its replica watched by a real Sentinel: the store finds the master through the
// Sentinel, keeps the store contract, and after the master is killed and the Sentinel has promoted
// the replica, serves the sessions again from it.
const sentinel = await startSentinel();
after(() => sentinel.close());
const encryptionKey = randomBytes(32).toString('base64');
const options = () => ({ sentinel: { name: sentinel.name, nodes: sentinel.sentinelUrls }, keyPrefix: `test:${randomUUID()}:`, encryptionKey, logger: createLogger('silent'), commandTimeoutMs: 1000 });

storeContract('RedisStore through Redis Sentinel (two clients)', async () => {
  const opts = options();
  const [store, other] = await Promise.all([RedisStore.open(opts), RedisStore.open(opts)]);
  return { store, other, advance: (ms) => sleep(ms), jumps: false, close: async () => void (await Promise.all([store.close(), other.close()])) };
});

test('config: store.sentinel selects the Sentinels: what the configured store writes is on the master they name', async () => {
  const { keyPrefix } = options();
  const config = validateConfig({ store: { kind: 'redis', sentinel: { name: sentinel.name, nodes: sentinel.sentinelUrls }, keyPrefix, encryptionKey, commandTimeoutMs: 1000 } });
  const configured = await createStore(config, createLogger('silent'));
  const { record } = await configured.createSession(newSession(), { ttlMs: 600_000, maxPerUser: 5 }).finally(() => configured.close());
  const direct = await RedisStore.open({ ...options(), keyPrefix });
  assert.equal((await direct.getSession(record.id, 'alice').finally(() => direct.close())).state, 'active');
});

test('the master killed: STORE_UNAVAILABLE (no hang), then the sessions are served by the replica the Sentinel promoted', { timeout: 60_000 }, async () => {
  const store = await RedisStore.open(options());
  try {
    const { record } = await store.createSession(newSession(), { ttlMs: 600_000, maxPerUser: 5 });
    const before = sentinel.masterPort();
    await replicaCaughtUp(before);
    sentinel.killMaster();
    await assert.rejects(store.getSession(record.id, 'alice'), (e: TaigaMcpError) => e.code === 'STORE_UNAVAILABLE');
    assert.equal(await store.ready(), false, 'not ready while the master is gone');
    let state = '';
    for (let i = 0; i < 150 && state !== 'active'; i++) {
      state = await store.getSession(record.id, 'alice').then((f) => f.state, (e: unknown) => (e instanceof TaigaMcpError ? e.code : String(e)));
      if (state !== 'active') await sleep(200);
    }
    assert.equal(state, 'active', 'served again after the failover');
    assert.notEqual(sentinel.masterPort(), before, 'the Sentinel names the promoted replica');
    assert.equal(await store.ready(), true);
  } finally {
    await store.close();
  }
});
