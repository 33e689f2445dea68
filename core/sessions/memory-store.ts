import { LRUCache } from 'lru-cache';
import type { SessionLookup, SessionRecord, StateStore } from './types.js';

const TOMBSTONE_TTL_MS = 24 * 3600_000;

/**
 * In-process store: bounded LRU caches, so a flood of logins cannot exhaust memory.
 * lru-cache allocates every slot up front, so the bounds are kept modest (see the bench).
 */
export class MemoryStore implements StateStore {
  private readonly sessions: LRUCache<string, SessionRecord>;
  /** Ids of sessions that expired, so that "expired" stays distinct from "unknown". */
  private readonly expired = new LRUCache<string, true>({ max: 10_000, ttl: TOMBSTONE_TTL_MS });
  private readonly byUser = new Map<string, Set<string>>();
  private readonly attempts = new LRUCache<string, number[]>({ max: 10_000, ttl: 3600_000 });
  private readonly locks = new LRUCache<string, number>({ max: 10_000, ttl: 24 * 3600_000 });
  private readonly buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 20_000, ttl: 3600_000 });

  constructor(maxSessions = 10_000) {
    this.sessions = new LRUCache<string, SessionRecord>({
      max: maxSessions,
      dispose: (record, id, reason) => {
        if (reason !== 'set') this.unindex(record.userKey, id);
      },
    });
  }

  async getSession(id: string, now: number): Promise<SessionLookup> {
    const record = this.sessions.get(id);
    if (!record) return this.expired.has(id) ? { state: 'expired' } : { state: 'unknown' };
    if (record.expiresAt <= now) {
      this.expire(id);
      return { state: 'expired' };
    }
    return { state: 'active', record };
  }

  async putSession(record: SessionRecord): Promise<void> {
    this.sessions.set(record.id, record);
    let ids = this.byUser.get(record.userKey);
    if (!ids) this.byUser.set(record.userKey, (ids = new Set()));
    ids.add(record.id);
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.sessions.delete(id);
  }

  async sessionsOfUser(userKey: string, now: number): Promise<SessionRecord[]> {
    const out: SessionRecord[] = [];
    for (const id of [...(this.byUser.get(userKey) ?? [])]) {
      const found = await this.getSession(id, now);
      if (found.state === 'active') out.push(found.record);
    }
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  async sweep(now: number): Promise<number> {
    let dropped = 0;
    for (const [id, record] of this.sessions.entries()) {
      if (record.expiresAt <= now) {
        this.expire(id);
        dropped++;
      }
    }
    this.attempts.purgeStale();
    this.locks.purgeStale();
    this.buckets.purgeStale();
    return dropped;
  }

  async countSessions(): Promise<number> {
    return this.sessions.size;
  }

  async recordAttempt(key: string, windowMs: number, now: number): Promise<number> {
    const recent = (this.attempts.get(key) ?? []).filter((t) => t > now - windowMs);
    recent.push(now);
    this.attempts.set(key, recent, { ttl: windowMs });
    return recent.length;
  }

  async setLock(key: string, untilMs: number): Promise<void> {
    this.locks.set(key, untilMs);
  }

  async getLock(key: string, now: number): Promise<number | undefined> {
    const until = this.locks.get(key);
    return until !== undefined && until > now ? until : undefined;
  }

  async takeToken(key: string, burst: number, perSecond: number, now: number): Promise<number> {
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    // An idle entry must outlive a full refill, or it would come back full too early.
    const ttl = Math.max(3600_000, Math.ceil((burst / perSecond) * 1000));
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now }, { ttl });
      return 0;
    }
    this.buckets.set(key, { tokens, at: now }, { ttl });
    return Math.ceil(((1 - tokens) / perSecond) * 1000);
  }

  async close(): Promise<void> {
    this.sessions.clear();
    this.byUser.clear();
  }

  private expire(id: string): void {
    this.sessions.delete(id);
    this.expired.set(id, true);
  }

  private unindex(userKey: string, id: string): void {
    const ids = this.byUser.get(userKey);
    ids?.delete(id);
    if (ids && ids.size === 0) this.byUser.delete(userKey);
  }
}
