import type { StateStore } from '../sessions/types.js';

/** Every operation of the store contract: the compiler says when one is added and not traced here. */
const OPERATIONS: Record<keyof StateStore, true> = {
  now: true,
  createSession: true,
  getSession: true,
  touchSession: true,
  updateTokens: true,
  expireSession: true,
  deleteSession: true,
  acquireRefreshLock: true,
  releaseRefreshLock: true,
  loginAttempt: true,
  lockout: true,
  claimOnce: true,
  takeToken: true,
  sweep: true,
  activeSessions: true,
  ready: true,
  close: true,
};

/** `store` with each operation run through `inSpan`, which knows it only by name: never its keys, ids or values. */
export function tracedStore(store: StateStore, inSpan: <T>(operation: string, run: () => Promise<T>) => Promise<T>): StateStore {
  const traced: Record<string, unknown> = {};
  for (const operation of Object.keys(OPERATIONS) as Array<keyof StateStore>) {
    const method = (store[operation] as (...args: unknown[]) => Promise<unknown>).bind(store);
    traced[operation] = (...args: unknown[]) => inSpan(operation, () => method(...args));
  }
  return traced as unknown as StateStore;
}
