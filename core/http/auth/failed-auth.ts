import type { StateStore } from '../../sessions/types.js';

export interface FailedAuthLimits {
  /** Failed attempts allowed per address in the window; the next one starts the lockout. */
  max: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

/**
 * Failed authentications per client address, kept in the store (so shared by every instance):
 * past the limit the address is locked out, and while it is, its requests are refused before any
 * credential is looked at, so that a key or a token cannot be guessed at line rate. Only presented
 * credentials that fail count: a request with none (a client finding out how to authenticate) does not.
 */
export class FailedAuthLimiter {
  constructor(
    private readonly store: StateStore,
    private readonly limits: FailedAuthLimits,
  ) {}

  /** Seconds until `address` may try again, or 0. */
  async waitFor(address: string): Promise<number> {
    return secondsLeft(await this.store.lockout(key(address)));
  }

  /** Counts a failed attempt; the seconds of the lockout it started (0: none). */
  async failed(address: string): Promise<number> {
    const { max, windowSeconds, lockoutSeconds } = this.limits;
    return secondsLeft(await this.store.loginAttempt(key(address), { max, windowMs: windowSeconds * 1000, lockoutMs: lockoutSeconds * 1000 }));
  }
}

const key = (address: string): string => `auth:${address}`;
const secondsLeft = ({ now, lockedUntil }: { now: number; lockedUntil?: number }): number => (lockedUntil === undefined ? 0 : Math.max(1, Math.ceil((lockedUntil - now) / 1000)));
