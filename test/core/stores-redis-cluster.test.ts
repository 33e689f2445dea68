import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../core/logger.js';
import { RedisStore } from '../../core/sessions/redis-store.js';
import { testCluster } from '../helpers/redis-cluster.js';
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
