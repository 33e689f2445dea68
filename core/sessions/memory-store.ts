import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { LoginLimits, LoginVerdict, NewSession, SessionLookup, SessionRecord, SessionTokens, StateStore, TokenUpdate } from './types.js';

/** Keys claimOnce remembers at most (a confirmation answer each, for minutes): past it, claims are refused. */
export const MAX_CLAIMED = 100_000;

/** How long an expired session answers "expired" before it answers "unknown". */
export const TOMBSTONE_TTL_MS = 24 * 3600_000;

export interface MemoryStoreOptions {
  maxSessions?: number;
  /** The store's clock; tests inject one to move time deterministically. */
  now?: () => number;
}

/**
 * In-process store: bounded LRU caches, so a flood of logins cannot exhaust memory.
 * lru-cache allocates every slot up front, so the bounds are kept modest (see the bench), and each
 * cache is made at its first use: a stdio server with its one configured account never logs in,
 * and 6 MB of slots made at start cost a cold start several milliseconds. `ttlResolution: 0`:
 * lru-cache's default (1 ms) starts a timer each time it reads its clock, that is on every call.
 * Every operation runs to completion without awaiting, which makes each one atomic here;
 * records go out as copies, as they would from a shared store.
 */
export class MemoryStore implements StateStore {
  private readonly clock: () => number;
  private readonly maxSessions: number;
  private readonly byUser = new Map<string, Set<string>>();
  #sessions?: LRUCache<string, SessionRecord>;
  #expired?: LRUCache<string, { principal: string; until: number }>;
  #attempts?: LRUCache<string, number[]>;
  #lockouts?: LRUCache<string, number>;
  #buckets?: LRUCache<string, { tokens: number; at: number }>;
  #refreshLocks?: LRUCache<string, { owner: string; until: number }>;
  #claimed?: Map<string, number>;

  constructor(opts: MemoryStoreOptions = {}) {
    this.clock = opts.now ?? Date.now;
    this.maxSessions = opts.maxSessions ?? 10_000;
  }

  private get sessions(): LRUCache<string, SessionRecord> {
    return (this.#sessions ??= new LRUCache<string, SessionRecord>({
      max: this.maxSessions,
      dispose: (record, id, reason) => {
        // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: a session is set once (its id is new), so no replacement ever disposes one
        if (reason !== 'set') this.unindex(record.userKey, id);
      },
    }));
  }

  /** Principals of sessions that expired, so that "expired" stays distinct from "unknown". */
  private get expired(): LRUCache<string, { principal: string; until: number }> {
    return (this.#expired ??= new LRUCache({ max: 10_000, ttl: TOMBSTONE_TTL_MS, ttlResolution: 0 }));
  }

  private get attempts(): LRUCache<string, number[]> {
    return (this.#attempts ??= new LRUCache({ max: 10_000, ttl: 3600_000, ttlResolution: 0 }));
  }

  private get lockouts(): LRUCache<string, number> {
    return (this.#lockouts ??= new LRUCache({ max: 10_000, ttl: 24 * 3600_000, ttlResolution: 0 }));
  }

  private get buckets(): LRUCache<string, { tokens: number; at: number }> {
    return (this.#buckets ??= new LRUCache({ max: 20_000, ttl: 3600_000, ttlResolution: 0 }));
  }

  private get refreshLocks(): LRUCache<string, { owner: string; until: number }> {
    return (this.#refreshLocks ??= new LRUCache({ max: 10_000, ttl: 3600_000, ttlResolution: 0 }));
  }

  /**
   * Claimed keys and when they lapse: a Map, not an LRU, because forgetting a key early would let
   * it be claimed twice; when full of live keys, a new claim is refused instead.
   */
  private get claimed(): Map<string, number> {
    return (this.#claimed ??= new Map());
  }

  async now(): Promise<number> {
    return this.clock();
  }

  async createSession(session: NewSession, opts: { ttlMs: number; maxPerUser: number }): Promise<{ record: SessionRecord; evicted: string[] }> {
    const now = this.clock();
    const record: SessionRecord = { ...session, createdAt: now, expiresAt: now + opts.ttlMs, lastAccessedAt: now };
    this.sessions.set(record.id, record);
    let ids = this.byUser.get(record.userKey);
    if (!ids) this.byUser.set(record.userKey, (ids = new Set()));
    ids.add(record.id);
    const mine = [...ids].map((id) => this.active(id, now)).filter((r): r is SessionRecord => r !== undefined);
    // Sorting is stable and the set keeps insertion order, so the new session is never the one dropped.
    const evicted = mine.sort((a, b) => a.createdAt - b.createdAt).slice(0, Math.max(0, mine.length - opts.maxPerUser));
    for (const old of evicted) this.sessions.delete(old.id);
    return { record: { ...record }, evicted: evicted.map((r) => r.id.slice(0, 8)) };
  }

  async getSession(id: string, principal: string): Promise<SessionLookup> {
    return this.lookup(id, principal, false);
  }

  async touchSession(id: string, principal: string): Promise<SessionLookup> {
    return this.lookup(id, principal, true);
  }

  async updateTokens(id: string, expectedRefreshToken: string, next: SessionTokens): Promise<TokenUpdate> {
    const record = this.active(id, this.clock());
    if (!record) return 'gone';
    if (record.refreshToken !== expectedRefreshToken) return 'stale';
    record.authToken = next.authToken;
    record.refreshToken = next.refreshToken;
    return 'updated';
  }

  async expireSession(id: string, expectedRefreshToken: string): Promise<boolean> {
    const now = this.clock();
    const record = this.active(id, now);
    if (!record || record.refreshToken !== expectedRefreshToken) return false;
    this.expire(record, now);
    return true;
  }

  async deleteSession(id: string, principal: string): Promise<SessionLookup['state']> {
    // Stryker disable next-line BooleanLiteral: a touch of the session about to be deleted is never seen
    const found = this.lookup(id, principal, false);
    if (found.state === 'active') this.sessions.delete(id);
    return found.state;
  }

  async acquireRefreshLock(id: string, ttlMs: number): Promise<string | undefined> {
    const now = this.clock();
    const held = this.refreshLocks.get(id);
    if (held && held.until > now) return undefined;
    const owner = randomUUID();
    this.refreshLocks.set(id, { owner, until: now + ttlMs });
    return owner;
  }

  async releaseRefreshLock(id: string, owner: string): Promise<boolean> {
    if (this.refreshLocks.get(id)?.owner !== owner) return false;
    return this.refreshLocks.delete(id);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const until = this.claimed.get(key);
    // Stryker disable next-line ConditionalExpression: `undefined > now` is false, so the undefined check only says what is meant
    if (until !== undefined && until > now) return false;
    // Stryker disable next-line ConditionalExpression: dropping the lapsed claims at every claim gives the same answers, only slower
    if (until === undefined && this.claimed.size >= MAX_CLAIMED) this.dropLapsedClaims(now);
    if (until === undefined && this.claimed.size >= MAX_CLAIMED) return false;
    this.claimed.set(key, now + ttlMs);
    return true;
  }

  async loginAttempt(source: string, limits: LoginLimits): Promise<LoginVerdict> {
    const now = this.clock();
    const until = this.lockouts.get(source);
    // Stryker disable next-line ConditionalExpression: `undefined > now` is false, so the undefined check only says what is meant
    if (until !== undefined && until > now) return { now, lockedUntil: until };
    // Stryker disable next-line ArrayDeclaration: a non-number in place of the empty list is filtered out as no attempt
    const recent = (this.attempts.get(source) ?? []).filter((t) => t > now - limits.windowMs);
    recent.push(now);
    // Stryker disable next-line ObjectLiteral: how long the cache keeps the entry only bounds memory; the times inside it decide
    this.attempts.set(source, recent, { ttl: limits.windowMs });
    if (recent.length <= limits.max) return { now };
    const lockedUntil = now + limits.lockoutMs;
    // Stryker disable next-line ObjectLiteral: how long the cache keeps the entry only bounds memory; the times inside it decide
    this.lockouts.set(source, lockedUntil, { ttl: limits.lockoutMs });
    return { now, lockedUntil };
  }

  async lockout(source: string): Promise<LoginVerdict> {
    const now = this.clock();
    const until = this.lockouts.get(source);
    // Stryker disable next-line ConditionalExpression: `undefined > now` is false, so the undefined check only says what is meant
    return until !== undefined && until > now ? { now, lockedUntil: until } : { now };
  }

  async takeToken(key: string, burst: number, perSecond: number): Promise<number> {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
    // An idle entry must outlive a full refill, or it would come back full too early.
    // Stryker disable next-line MethodExpression,ArithmeticOperator: any lifetime of at least one full refill gives the same answers; the hour only spares the cache from dropping idle keys often
    const ttl = Math.max(3600_000, Math.ceil((burst / perSecond) * 1000));
    if (tokens >= 1) {
      // Stryker disable next-line ObjectLiteral: how long the cache keeps the entry only bounds memory; the times inside it decide
      this.buckets.set(key, { tokens: tokens - 1, at: now }, { ttl });
      return 0;
    }
    // Stryker disable next-line ObjectLiteral: how long the cache keeps the entry only bounds memory; the times inside it decide
    this.buckets.set(key, { tokens, at: now }, { ttl });
    return Math.ceil(((1 - tokens) / perSecond) * 1000);
  }

  async sweep(): Promise<number> {
    const now = this.clock();
    let dropped = 0;
    // Stryker disable next-line ArrayDeclaration: a non-record in place of the empty list has no expiry, so it is not dropped
    for (const record of [...(this.#sessions?.values() ?? [])]) {
      if (record.expiresAt <= now) {
        this.expire(record, now);
        dropped++;
      }
    }
    // Stryker disable next-line ArrayDeclaration: purging only frees memory early; a stale entry is never read (lru-cache checks the age at each get)
    for (const cache of [this.#attempts, this.#lockouts, this.#buckets, this.#refreshLocks]) cache?.purgeStale();
    return dropped;
  }

  /** How many users the per-user index holds (it must shrink with the sessions); for tests. */
  countIndexedUsers(): number {
    return this.byUser.size;
  }

  /** How many sessions are held (expired ones not yet swept included); for tests and the bench. */
  countSessions(): number {
    return this.#sessions?.size ?? 0;
  }

  async activeSessions(): Promise<number> {
    const now = await this.now();
    let n = 0;
    // Stryker disable next-line ArrayDeclaration: a non-record in place of the empty list has no expiry, so it is not counted
    for (const record of this.#sessions?.values() ?? []) if (record.expiresAt > now) n++;
    return n;
  }

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.#sessions?.clear();
    this.byUser.clear();
  }

  private lookup(id: string, principal: string, touch: boolean): SessionLookup {
    const now = this.clock();
    const record = this.active(id, now);
    if (!record) {
      const tomb = this.expired.get(id);
      return tomb && tomb.principal === principal && tomb.until > now ? { state: 'expired' } : { state: 'unknown' };
    }
    if (record.principal !== principal) return { state: 'unknown' };
    if (touch) record.lastAccessedAt = now;
    return { state: 'active', record: { ...record } };
  }

  /** The live record of an active session (expiring it on the way if its time is up). */
  private active(id: string, now: number): SessionRecord | undefined {
    const record = this.sessions.get(id);
    if (record && record.expiresAt <= now) {
      this.expire(record, now);
      return undefined;
    }
    return record;
  }

  private expire(record: SessionRecord, now: number): void {
    this.sessions.delete(record.id);
    this.expired.set(record.id, { principal: record.principal, until: now + TOMBSTONE_TTL_MS });
  }

  private dropLapsedClaims(now: number): void {
    for (const [key, until] of this.claimed) if (until <= now) this.claimed.delete(key);
  }

  private unindex(userKey: string, id: string): void {
    const ids = this.byUser.get(userKey);
    // Stryker disable next-line OptionalChaining: a disposed session is always in the index (it was indexed when made)
    ids?.delete(id);
    if (ids && ids.size === 0) this.byUser.delete(userKey);
  }
}
