import { TaigaMcpError } from '../errors.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import { MemoryStore } from './memory-store.js';
import type { StateStore } from './types.js';

/** The configured store. The Redis client is loaded only when Redis is configured: stdio start-up does not pay for it. */
export async function createStore(config: Config, logger: Logger): Promise<StateStore> {
  const store = config.store;
  if (store.kind === 'memory') return new MemoryStore({ maxSessions: config.sessions.maxSessions });
  if (!store.encryptionKey) {
    throw new TaigaMcpError('CONFIG_INVALID', {
      message: 'invalid configuration: the Redis store needs store.encryptionKey (or TAIGA_MCP_STORE_KEY): 32 random bytes in base64, e.g. from `openssl rand -base64 32`, the same on every instance',
    });
  }
  const { RedisStore } = await import('./redis-store.js');
  const common = { keyPrefix: store.keyPrefix, encryptionKey: store.encryptionKey, commandTimeoutMs: store.commandTimeoutMs, logger };
  if ('cluster' in store) return RedisStore.open({ ...common, cluster: store.cluster });
  if ('sentinel' in store) return RedisStore.open({ ...common, sentinel: store.sentinel });
  return RedisStore.open({ ...common, url: store.url });
}
