import { TaigaMcpError } from '../errors.js';
import type { StateStore } from '../sessions/types.js';
import type { Middleware } from './types.js';

/** Token bucket per session: a burst, then a steady rate; kept in the store, so shared by every instance. */
export function rateLimit(opts: { store: StateStore; burst: number; perSecond: number }): Middleware {
  const { store, burst, perSecond } = opts;
  return async function rateLimitStage(call, next) {
    if (call.rateKey === undefined) return next();
    const waitMs = await store.takeToken(`calls:${call.rateKey}`, burst, perSecond);
    if (waitMs > 0) {
      throw new TaigaMcpError('RATE_LIMITED', {
        message: 'Too many tool calls for this session.',
        details: { retry_after_seconds: Math.ceil(waitMs / 1000), source: 'session' },
      });
    }
    return next();
  };
}
