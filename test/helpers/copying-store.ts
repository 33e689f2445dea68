import { MemoryStore } from '../../core/sessions/memory-store.js';
import type { LoginLimits, LoginVerdict, NewSession, SessionLookup, SessionRecord, SessionTokens, StateStore, TokenUpdate } from '../../core/sessions/types.js';

/** A gate on the next call of one method: the call waits at its start until `release()`. */
export interface Gate {
  reached: Promise<void>;
  release(): void;
}

type Method = Exclude<keyof StateStore, 'close'>;

/**
 * A store that behaves like one shared by several processes: everything it takes in or hands out
 * is a deep copy, every operation first yields to the event loop (so concurrent callers
 * interleave), and `hold` stops one operation at its start so that a test can run others in
 * between, deterministically. Each operation itself stays atomic, as the contract says.
 */
export class CopyingMemoryStore implements StateStore {
  readonly inner: MemoryStore;
  /** The most active sessions one user had at once, per user key. */
  readonly peak = new Map<string, number>();
  /** How many times each operation was called. */
  readonly calls = new Map<string, number>();
  private readonly ofUser = new Map<string, Array<{ id: string; principal: string }>>();
  private readonly gates = new Map<string, Array<{ open: Promise<void>; reached: () => void }>>();

  constructor(opts: { now?: () => number } = {}) {
    this.inner = new MemoryStore(opts);
  }

  hold(method: Method): Gate {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const open = new Promise<void>((r) => (release = r));
    const queue = this.gates.get(method) ?? [];
    queue.push({ open, reached });
    this.gates.set(method, queue);
    return { reached: reachedP, release };
  }

  now(): Promise<number> {
    return this.op('now', () => this.inner.now());
  }
  async createSession(session: NewSession, opts: { ttlMs: number; maxPerUser: number }): Promise<{ record: SessionRecord; evicted: string[] }> {
    const created = await this.op('createSession', () => this.inner.createSession(structuredClone(session), opts));
    const mine = this.ofUser.get(session.userKey) ?? [];
    mine.push({ id: session.id, principal: session.principal });
    this.ofUser.set(session.userKey, mine);
    let active = 0;
    for (const s of mine) if ((await this.inner.getSession(s.id, s.principal)).state === 'active') active++;
    this.peak.set(session.userKey, Math.max(this.peak.get(session.userKey) ?? 0, active));
    return created;
  }
  getSession(id: string, principal: string): Promise<SessionLookup> {
    return this.op('getSession', () => this.inner.getSession(id, principal));
  }
  touchSession(id: string, principal: string): Promise<SessionLookup> {
    return this.op('touchSession', () => this.inner.touchSession(id, principal));
  }
  updateTokens(id: string, expectedRefreshToken: string, next: SessionTokens): Promise<TokenUpdate> {
    return this.op('updateTokens', () => this.inner.updateTokens(id, expectedRefreshToken, structuredClone(next)));
  }
  expireSession(id: string, expectedRefreshToken: string): Promise<boolean> {
    return this.op('expireSession', () => this.inner.expireSession(id, expectedRefreshToken));
  }
  deleteSession(id: string, principal: string): Promise<SessionLookup['state']> {
    return this.op('deleteSession', () => this.inner.deleteSession(id, principal));
  }
  acquireRefreshLock(id: string, ttlMs: number): Promise<string | undefined> {
    return this.op('acquireRefreshLock', () => this.inner.acquireRefreshLock(id, ttlMs));
  }
  releaseRefreshLock(id: string, owner: string): Promise<boolean> {
    return this.op('releaseRefreshLock', () => this.inner.releaseRefreshLock(id, owner));
  }
  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.op('claimOnce', () => this.inner.claimOnce(key, ttlMs));
  }
  loginAttempt(source: string, limits: LoginLimits): Promise<LoginVerdict> {
    return this.op('loginAttempt', () => this.inner.loginAttempt(source, limits));
  }
  lockout(source: string): Promise<LoginVerdict> {
    return this.op('lockout', () => this.inner.lockout(source));
  }
  takeToken(key: string, burst: number, perSecond: number): Promise<number> {
    return this.op('takeToken', () => this.inner.takeToken(key, burst, perSecond));
  }
  sweep(): Promise<number> {
    return this.op('sweep', () => this.inner.sweep());
  }
  activeSessions(): Promise<number> {
    return this.op('activeSessions', () => this.inner.activeSessions());
  }
  ready(): Promise<boolean> {
    return this.op('ready', () => this.inner.ready());
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private async op<T>(method: Method, run: () => Promise<T>): Promise<T> {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    await new Promise((r) => setImmediate(r));
    const gate = this.gates.get(method)?.shift();
    if (gate) {
      gate.reached();
      await gate.open;
    }
    return structuredClone(await run());
  }
}
