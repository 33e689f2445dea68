import { MemoryStore } from '../../sessions/memory-store.js';
import type { LoginVerdict, StateStore } from '../../sessions/types.js';

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
 *
 * While the store cannot be reached, this instance counts on its own (in memory) and its own
 * lockouts hold beside the store's: the limit never lapses, and a store outage does not refuse
 * the callers whose credentials are right (their calls answer STORE_UNAVAILABLE where they need it).
 */
export class FailedAuthLimiter {
  private readonly local = new MemoryStore();

  constructor(
    private readonly store: StateStore,
    private readonly limits: FailedAuthLimits,
  ) {}

  /** Seconds until `address` may try again, or 0. */
  async waitFor(address: string): Promise<number> {
    const [shared, local] = await Promise.all([orElse(this.store.lockout(key(address)), undefined), this.local.lockout(key(address))]);
    return Math.max(shared ? secondsLeft(shared) : 0, secondsLeft(local));
  }

  /** Counts a failed attempt; the seconds of the lockout it started (0: none). */
  async failed(address: string): Promise<number> {
    const { max, windowSeconds, lockoutSeconds } = this.limits;
    const limits = { max, windowMs: windowSeconds * 1000, lockoutMs: lockoutSeconds * 1000 };
    const shared = await orElse(this.store.loginAttempt(key(address), limits), undefined);
    return secondsLeft(shared ?? (await this.local.loginAttempt(key(address), limits)));
  }
}

/** The store's answer, or `fallback` when it has none (a store rejects only with STORE_UNAVAILABLE). */
async function orElse<T, F>(answer: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await answer;
  } catch {
    return fallback;
  }
}

const key = (address: string): string => `auth:${address}`;
const secondsLeft = ({ now, lockedUntil }: LoginVerdict): number => (lockedUntil === undefined ? 0 : Math.ceil((lockedUntil - now) / 1000));
