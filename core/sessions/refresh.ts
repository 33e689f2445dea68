import { setTimeout as sleep } from 'node:timers/promises';
import { TaigaMcpError } from '../errors.js';
import { authorization } from '../credentials/authorization.js';
import type { TaigaHosts } from '../taiga-hosts.js';
import type { SessionRecord, StateStore } from './types.js';

export interface RefreshOptions {
  /** How long a refresh may hold the session's lock: longer than one Taiga request may take. */
  lockTtlMs: number;
  /** How often a caller that waits for another instance's refresh looks again. */
  pollMs: number;
}

const bearer = (token: string) => authorization('Bearer', token);
const expired = () => new TaigaMcpError('SESSION_EXPIRED', { message: 'Taiga no longer accepts this session.' });

/** The active session of `principal`, or the coded error that says why there is none. */
export async function activeSession(store: StateStore, id: string, principal: string): Promise<SessionRecord> {
  const found = await store.getSession(id, principal);
  if (found.state === 'unknown') throw new TaigaMcpError('SESSION_INVALID');
  if (found.state === 'expired') throw new TaigaMcpError('SESSION_EXPIRED');
  return found.record;
}

/**
 * Renews a login session's access token after Taiga rejected `rejected`, with one refresh at a
 * time per session across every instance sharing the store. Taiga denylists a refresh token on
 * its first use, so a second refresh with it would fail and end the session: whoever does not
 * get the lock waits and then uses the tokens the holder stored.
 *
 * Runs on the client's own deadline, never on one caller's signal: a rotated token lost to a
 * cancelled caller would end the session for everyone.
 */
export async function refreshSession(store: StateStore, hosts: TaigaHosts, opts: RefreshOptions, id: string, principal: string, rejected: string): Promise<string> {
  const giveUpAt = performance.now() + 2 * opts.lockTtlMs;
  for (;;) {
    const owner = await store.acquireRefreshLock(id, opts.lockTtlMs);
    try {
      // Read after taking the lock: the previous holder may have finished in between.
      const record = await activeSession(store, id, principal);
      if (bearer(record.authToken) !== rejected) return bearer(record.authToken);
      if (owner !== undefined) {
        const fresh = await rotate(store, hosts, record);
        if (fresh !== undefined) return fresh;
        continue;
      }
    } finally {
      // Stryker disable next-line ConditionalExpression: a release without the owner token releases nothing (both stores compare it)
      if (owner !== undefined) await store.releaseRefreshLock(id, owner).catch(() => undefined);
    }
    // Stryker disable next-line EqualityOperator: the clock landing exactly on the deadline cannot be arranged
    if (performance.now() > giveUpAt) {
      throw new TaigaMcpError('TIMEOUT', { message: 'Another server instance is still renewing this session.', hint: 'Try again in a few seconds.' });
    }
    await sleep(opts.pollMs);
  }
}

/** One refresh under the lock; undefined when another instance rotated the token meanwhile (read again). */
async function rotate(store: StateStore, hosts: TaigaHosts, record: SessionRecord): Promise<string | undefined> {
  const spent = record.refreshToken;
  if (!spent) throw expired();
  let fresh: { authToken: string; refreshToken: string };
  try {
    fresh = await hosts.client(record.apiUrl).refresh(spent);
  } catch (err) {
    if (!(err instanceof TaigaMcpError) || err.code !== 'AUTH_FAILED') throw err;
    // A lapsed lock lets another instance spend the same token first: only expire what it did not renew.
    if (await store.expireSession(record.id, spent)) throw expired();
    return undefined;
  }
  const outcome = await store.updateTokens(record.id, spent, { authToken: fresh.authToken, refreshToken: fresh.refreshToken });
  // A logout or cap eviction meanwhile is not undone: the caller learns the session is gone.
  // Stryker disable next-line ConditionalExpression: reading a session that is still active again only finds it active
  if (outcome === 'gone') await activeSession(store, record.id, record.principal);
  return bearer(fresh.authToken);
}
