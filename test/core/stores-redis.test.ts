import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../core/logger.js';
import { RedisStore } from '../../core/sessions/redis-store.js';
import { testRedisUrl } from '../helpers/redis-server.js';
import { storeContract } from './store-contract.js';
import { raceSuite } from './race-suite.js';

const url = await testRedisUrl();
const encryptionKey = randomBytes(32).toString('base64');

storeContract('RedisStore (two clients)', async () => {
  const opts = { url, keyPrefix: `test:${randomUUID()}:`, encryptionKey, logger: createLogger('silent') };
  const store = await RedisStore.open(opts);
  const other = await RedisStore.open(opts);
  return { store, other, advance: (ms) => sleep(ms), jumps: false, close: async () => void (await Promise.all([store.close(), other.close()])) };
});

raceSuite('RedisStore (two clients)', async () => {
  const opts = { url, keyPrefix: `test:${randomUUID()}:`, encryptionKey, logger: createLogger('silent') };
  const [one, two] = await Promise.all([RedisStore.open(opts), RedisStore.open(opts)]);
  return { one, two, close: async () => void (await Promise.all([one.close(), two.close()])) };
});
