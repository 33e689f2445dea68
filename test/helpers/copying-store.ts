import { MemoryStore } from '../../core/sessions/memory-store.js';
import type { SessionLookup, SessionRecord, StateStore } from '../../core/sessions/types.js';

/** A gate on the next call of one method: the call waits at its start until `release()`. */
export interface Gate {
  reached: Promise<void>;
  release(): void;
}

/**
 * A store that behaves like one shared by several processes: every record it hands out or takes
 * in is a copy, every operation yields to the event loop first, and `hold` stops one operation
 * at its start so that a test can run others in between, deterministically.
 */
export class CopyingMemoryStore implements StateStore {
  readonly inner = new MemoryStore();
  /** The most sessions one user had at once, per user key. */
  readonly peak = new Map<string, number>();
  private readonly gates = new Map<string, Array<{ open: Promise<void>; reached: () => void }>>();

  hold(method: keyof StateStore): Gate {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const open = new Promise<void>((r) => (release = r));
    const queue = this.gates.get(method) ?? [];
    queue.push({ open, reached });
    this.gates.set(method, queue);
    return { reached: reachedP, release };
  }

  async getSession(id: string, now: number): Promise<SessionLookup> {
    await this.enter('getSession');
    return structuredClone(await this.inner.getSession(id, now));
  }
  async putSession(record: SessionRecord): Promise<void> {
    const copy = structuredClone(record);
    await this.enter('putSession');
    await this.inner.putSession(copy);
    const n = (await this.inner.sessionsOfUser(copy.userKey, 0)).length;
    this.peak.set(copy.userKey, Math.max(this.peak.get(copy.userKey) ?? 0, n));
  }
  async deleteSession(id: string): Promise<boolean> {
    await this.enter('deleteSession');
    return this.inner.deleteSession(id);
  }
  async sessionsOfUser(userKey: string, now: number): Promise<SessionRecord[]> {
    await this.enter('sessionsOfUser');
    return structuredClone(await this.inner.sessionsOfUser(userKey, now));
  }
  async sweep(now: number): Promise<number> {
    await this.enter('sweep');
    return this.inner.sweep(now);
  }
  async countSessions(): Promise<number> {
    return this.inner.countSessions();
  }
  async recordAttempt(key: string, windowMs: number, now: number): Promise<number> {
    await this.enter('recordAttempt');
    return this.inner.recordAttempt(key, windowMs, now);
  }
  async setLock(key: string, untilMs: number): Promise<void> {
    await this.enter('setLock');
    return this.inner.setLock(key, untilMs);
  }
  async getLock(key: string, now: number): Promise<number | undefined> {
    await this.enter('getLock');
    return this.inner.getLock(key, now);
  }
  async takeToken(key: string, burst: number, perSecond: number, now: number): Promise<number> {
    await this.enter('takeToken');
    return this.inner.takeToken(key, burst, perSecond, now);
  }
  async close(): Promise<void> {
    return this.inner.close();
  }

  private async enter(method: string): Promise<void> {
    await new Promise((r) => setImmediate(r));
    const gate = this.gates.get(method)?.shift();
    if (!gate) return;
    gate.reached();
    await gate.open;
  }
}
