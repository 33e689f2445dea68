import { TaigaMcpError } from '../errors.js';
import type { StateStore } from './types.js';

/** N login attempts per minute per source, then a lockout that says when to come back. */
export class LoginLimiter {
  constructor(
    private readonly store: StateStore,
    private readonly perMinute: number,
    private readonly lockoutMinutes: number,
  ) {}

  async check(source: string, now: number): Promise<void> {
    const key = `login:${source}`;
    const locked = await this.store.getLock(key, now);
    if (locked !== undefined) throw lockedError(locked, now);
    const count = await this.store.recordAttempt(key, 60_000, now);
    if (count > this.perMinute) {
      const until = now + this.lockoutMinutes * 60_000;
      await this.store.setLock(key, until);
      throw lockedError(until, now);
    }
  }
}

function lockedError(until: number, now: number): TaigaMcpError {
  const seconds = Math.ceil((until - now) / 1000);
  return new TaigaMcpError('RATE_LIMITED', {
    message: `Too many login attempts; locked until ${new Date(until).toISOString()}.`,
    details: { retry_after_seconds: seconds, retry_at: new Date(until).toISOString(), source: 'login' },
  });
}
