import type { StateStore } from '../sessions/types.js';

/** Every operation of the store contract, each traced by its name. */
const OPERATIONS = [
  'now',
  'createSession',
  'getSession',
  'touchSession',
  'updateTokens',
  'expireSession',
  'deleteSession',
  'acquireRefreshLock',
  'releaseRefreshLock',
  'loginAttempt',
  'lockout',
  'claimOnce',
  'takeToken',
  'sweep',
  'activeSessions',
  'ready',
  'close',
] as const;

/** `store` with each operation run through `inSpan`, which knows it only by name: never its keys, ids or values. */
export function tracedStore(store: StateStore, inSpan: <T>(operation: string, run: () => Promise<T>) => Promise<T>): StateStore {
  const traced = {} as Record<(typeof OPERATIONS)[number], unknown>;
  for (const operation of OPERATIONS) {
    const method = (store[operation] as (...args: unknown[]) => Promise<unknown>).bind(store);
    traced[operation] = (...args: unknown[]) => inSpan(operation, () => method(...args));
  }
  // An operation added to the store contract and not listed above fails to compile here.
  return (traced satisfies Record<keyof StateStore, unknown>) as unknown as StateStore;
}
