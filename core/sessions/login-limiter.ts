import { TaigaMcpError } from '../errors.js';
import type { StateStore } from './types.js';

/** N login attempts per minute per source, then a lockout that says when to come back. */
export class LoginLimiter {
  constructor(
    private readonly store: StateStore,
    private readonly perMinute: number,
    private readonly lockoutMinutes: number,
  ) {}

  async check(source: string): Promise<void> {
    const verdict = await this.store.loginAttempt(`login:${source}`, { max: this.perMinute, windowMs: 60_000, lockoutMs: this.lockoutMinutes * 60_000 });
    if (verdict.lockedUntil !== undefined) throw lockedError(verdict.lockedUntil, verdict.now);
  }
}

function lockedError(until: number, now: number): TaigaMcpError {
  const seconds = Math.ceil((until - now) / 1000);
  return new TaigaMcpError('RATE_LIMITED', {
    message: `Too many login attempts; locked until ${new Date(until).toISOString()}.`,
    details: { retry_after_seconds: seconds, retry_at: new Date(until).toISOString(), source: 'login' },
  });
}
