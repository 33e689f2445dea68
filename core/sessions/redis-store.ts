import { randomUUID } from 'node:crypto';
import { TaigaMcpError } from '../errors.js';
import type { Logger } from '../logger.js';
import { TOMBSTONE_TTL_MS } from './memory-store.js';
import { RedisKeys } from './redis-keys.js';
import { COUNT_LIVE, CREATE, DELETE, EXPIRE, LOCKOUT, LOGIN_ATTEMPT, LOOKUP, RELEASE_LOCK, TAKE_TOKEN, UPDATE_TOKENS, type Script } from './redis-scripts.js';
import { TokenCipher } from './token-cipher.js';
import { connectRedis, type RedisCommands, type RedisConnection, type RedisTarget } from './redis-connection.js';
import { openSession, resealSession, sealSession, type Opened } from './redis-record.js';
import type { LoginLimits, LoginVerdict, NewSession, SessionLookup, SessionRecord, SessionTokens, StateStore, TokenUpdate } from './types.js';

export type RedisStoreOptions = RedisTarget & {
  keyPrefix: string;
  /** 32 bytes in base64: seals the Taiga tokens. */
  encryptionKey: string;
  logger: Logger;
  /** A command that takes longer fails with STORE_UNAVAILABLE (a Redis that hangs must not hang the calls). */
  commandTimeoutMs?: number;
  /** How long `open` waits for the first connection before it lets calls answer STORE_UNAVAILABLE. */
  connectTimeoutMs?: number;
};

/** Replies that say Redis is there but cannot serve now: a passing state, not a bug. */
const PASSING_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|BUSY|TRYAGAIN|NOREPLICAS|OOM)\b/;

/**
 * The state shared by every server instance, in Redis. Each read-modify-write is one Lua script
 * (see redis-scripts.ts) on keys of one hash slot; see redis-keys.ts for the layout. Session ids
 * and other callers' strings appear in keys only as SHA-256 digests; a session's tokens, Taiga URL
 * and user only sealed, bound to its meta (redis-record.ts).
 */
export class RedisStore implements StateStore {
  private readonly keys: RedisKeys;
  private readonly cipher: TokenCipher;
  private readonly client: RedisCommands;
  private readonly timeoutMs: number;

  private constructor(
    private readonly connection: RedisConnection,
    private readonly errorReply: new (...args: never[]) => Error,
    private readonly logger: Logger,
    opts: RedisStoreOptions & { commandTimeoutMs: number },
  ) {
    this.keys = new RedisKeys(opts.keyPrefix);
    this.cipher = new TokenCipher(opts.encryptionKey);
    this.client = connection.commands;
    this.timeoutMs = opts.commandTimeoutMs;
  }

  /** Connects (waiting a little for it); an unreachable Redis does not stop start-up: calls say STORE_UNAVAILABLE meanwhile. */
  static async open(opts: RedisStoreOptions): Promise<RedisStore> {
    new TokenCipher(opts.encryptionKey); // refuses a missing or bad key before any connection
    const { ErrorReply } = (await import('@redis/client')).default;
    const commandTimeoutMs = opts.commandTimeoutMs ?? 5000;
    const connection = await connectRedis({ target: opts, commandTimeoutMs, connectTimeoutMs: opts.connectTimeoutMs ?? 5000, logger: opts.logger });
    return new RedisStore(connection, ErrorReply, opts.logger, { ...opts, commandTimeoutMs });
  }

  async now(): Promise<number> {
    return this.guard(async () => {
      const [seconds, micros] = await this.client.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    });
  }

  async createSession(session: NewSession, opts: { ttlMs: number; maxPerUser: number }): Promise<{ record: SessionRecord; evicted: string[] }> {
    return this.guard(async () => {
      const user = this.keys.digest(session.userKey);
      const s = this.keys.digest(session.id);
      // Redis's clock, read first: the times are sealed with the tokens, so they are known before the script runs.
      const createdAt = await this.now();
      const { meta, sealed } = sealSession(this.cipher, s, session, createdAt, opts.ttlMs);
      await this.client.set(this.keys.pointer(s), user, { expiration: { type: 'PX', value: opts.ttlMs + TOMBSTONE_TTL_MS } });
      // Stryker disable next-line StringLiteral: a session without a refresh token is never renewed, so this digest is never compared
      const args = [s, meta, sealed, this.cipher.digest(session.refreshToken ?? ''), opts.ttlMs, opts.maxPerUser, TOMBSTONE_TTL_MS];
      const evicted = (await this.eval(CREATE, [this.keys.user(user)], args)) as string[];
      return { record: { ...session, createdAt, expiresAt: createdAt + opts.ttlMs, lastAccessedAt: createdAt }, evicted };
    });
  }

  async getSession(id: string, principal: string): Promise<SessionLookup> {
    return this.lookup(id, principal, false);
  }

  async touchSession(id: string, principal: string): Promise<SessionLookup> {
    return this.lookup(id, principal, true);
  }

  async updateTokens(id: string, expectedRefreshToken: string, next: SessionTokens): Promise<TokenUpdate> {
    return this.guard(async () => {
      const s = this.keys.digest(id);
      const user = await this.client.get(this.keys.pointer(s));
      // Stryker disable next-line ConditionalExpression: a shortcut; the script finds no record under a user that is not there and answers the same
      if (user === null) return 'gone';
      // The new tokens are sealed to the same meta and identity: read them first (they never change).
      const [meta, sealed] = await this.client.hmGet(this.keys.user(user), [s, `${s}:tok`]);
      const stored = meta && sealed ? this.open(s, meta, sealed) : undefined;
      if (!stored) return 'gone';
      const args = [s, this.cipher.digest(expectedRefreshToken), resealSession(this.cipher, s, meta!, stored, next), this.cipher.digest(next.refreshToken)];
      return (await this.eval(UPDATE_TOKENS, [this.keys.user(user)], args)) as TokenUpdate;
    });
  }

  async expireSession(id: string, expectedRefreshToken: string): Promise<boolean> {
    return this.guard(async () => {
      const s = this.keys.digest(id);
      const user = await this.client.get(this.keys.pointer(s));
      // Stryker disable next-line ConditionalExpression: a shortcut; the script finds no record under a user that is not there and answers the same
      if (user === null) return false;
      return (await this.eval(EXPIRE, [this.keys.user(user)], [s, this.cipher.digest(expectedRefreshToken), TOMBSTONE_TTL_MS])) === 1;
    });
  }

  async deleteSession(id: string, principal: string): Promise<SessionLookup['state']> {
    return this.guard(async () => {
      const s = this.keys.digest(id);
      const user = await this.client.get(this.keys.pointer(s));
      // Stryker disable next-line ConditionalExpression: a shortcut; the script finds no record under a user that is not there and answers the same
      if (user === null) return 'unknown';
      const state = (await this.eval(DELETE, [this.keys.user(user)], [s, this.cipher.digest(principal), TOMBSTONE_TTL_MS])) as SessionLookup['state'];
      if (state === 'active') await this.client.del(this.keys.pointer(s));
      return state;
    });
  }

  async acquireRefreshLock(id: string, ttlMs: number): Promise<string | undefined> {
    return this.guard(async () => {
      const owner = randomUUID();
      const set = await this.client.set(this.keys.lock(this.keys.digest(id)), owner, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
      return set === null ? undefined : owner;
    });
  }

  async releaseRefreshLock(id: string, owner: string): Promise<boolean> {
    return this.guard(async () => (await this.eval(RELEASE_LOCK, [this.keys.lock(this.keys.digest(id))], [owner])) === 1);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    // Stryker disable next-line StringLiteral: the value of a claimed key is never read, only whether it was set
    return this.guard(async () => (await this.client.set(this.keys.once(this.keys.digest(key)), '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) !== null);
  }

  async loginAttempt(source: string, limits: LoginLimits): Promise<LoginVerdict> {
    return this.guard(async () => {
      const reply = (await this.eval(LOGIN_ATTEMPT, this.keys.login(this.keys.digest(source)), [limits.max, limits.windowMs, limits.lockoutMs, randomUUID()])) as number[];
      const [now, lockedUntil] = reply as [number, number | undefined];
      return { now, lockedUntil };
    });
  }

  async lockout(source: string): Promise<LoginVerdict> {
    return this.guard(async () => {
      const [now, lockedUntil] = (await this.eval(LOCKOUT, this.keys.login(this.keys.digest(source)).slice(1), [])) as [number, number | undefined];
      return { now, lockedUntil };
    });
  }

  async takeToken(key: string, burst: number, perSecond: number): Promise<number> {
    return this.guard(async () => (await this.eval(TAKE_TOKEN, [this.keys.bucket(this.keys.digest(key))], [burst, perSecond])) as number);
  }

  /** One SCAN over the user hashes and one read-only script per hash: for the metrics scrape, not the call path. */
  async activeSessions(): Promise<number> {
    return this.guard(async () => {
      let total = 0;
      for await (const keys of this.connection.scan(this.keys.allUsers())) {
        // Stryker disable next-line ArrayDeclaration: COUNT_LIVE reads no ARGV
        const counts = await Promise.all(keys.map((key) => this.eval(COUNT_LIVE, [key], [])));
        for (const n of counts) total += Number(n);
      }
      return total;
    });
  }

  /** Redis expires keys by itself; the scripts turn expired sessions into tombstones as they meet them. */
  async sweep(): Promise<number> {
    return 0;
  }

  async ready(): Promise<boolean> {
    try {
      return await this.withinDeadline(this.connection.ping());
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async lookup(id: string, principal: string, touch: boolean): Promise<SessionLookup> {
    return this.guard(async () => {
      const s = this.keys.digest(id);
      const user = await this.client.get(this.keys.pointer(s));
      // Stryker disable next-line ConditionalExpression: a shortcut; the script finds no record under a user that is not there and answers the same
      if (user === null) return { state: 'unknown' };
      const reply = (await this.eval(LOOKUP, [this.keys.user(user)], [s, this.cipher.digest(principal), touch ? '1' : '0', TOMBSTONE_TTL_MS])) as string[];
      const [state, meta, sealed, seen] = reply;
      if (state !== 'active') return { state: state as 'expired' | 'unknown' };
      // Stryker disable next-line StringLiteral: any text that is not a seal opens to nothing, as '' does
      const stored = this.open(s, meta!, sealed ?? '');
      if (!stored) return { state: 'unknown' };
      const { refreshToken, ...rest } = stored;
      const record: SessionRecord = { id, principal, ...rest, lastAccessedAt: Number(seen) };
      if (refreshToken) record.refreshToken = refreshToken;
      return { state: 'active', record };
    });
  }

  private open(s: string, meta: string, sealed: string): Opened | undefined {
    const stored = openSession(this.cipher, s, meta, sealed);
    if (!stored) this.logger.error({ session: `${s.slice(0, 8)}… (digest)` }, 'a stored session does not open with store.encryptionKey (key changed, a field altered in Redis, or a session of an earlier version): it is treated as unknown');
    return stored;
  }

  /** EVALSHA, and the script's source once after a Redis restart emptied its script cache. */
  private async eval(script: Script, keys: string[], args: Array<string | number>): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    try {
      return await this.client.evalSha(script.sha, options);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.client.eval(script.source, options);
    }
  }

  /** A Redis that is down, unreachable or passing through a failover answers STORE_UNAVAILABLE; a script error stays a bug. */
  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await this.withinDeadline(op());
    } catch (err) {
      if (err instanceof this.errorReply && !PASSING_REPLY.test(err.message)) throw err;
      // Stryker disable next-line ObjectLiteral: kept for a debugger; nothing logs or returns a STORE_UNAVAILABLE's cause
      throw new TaigaMcpError('STORE_UNAVAILABLE', { cause: err });
    }
  }

  /**
   * The operation, or a timeout error once it has taken `commandTimeoutMs`: node-redis's own timeout
   * stops at the socket, and a command written to a Redis that stopped answering would wait forever.
   */
  private withinDeadline<T>(running: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.connection.stalled();
        // Stryker disable next-line StringLiteral: this error is only the cause of a STORE_UNAVAILABLE (see guard)
        reject(new Error(`no answer from Redis within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    running.catch(() => undefined); // settles after the deadline: nobody waits for it any more
    return Promise.race([running, deadline]).finally(() => clearTimeout(timer));
  }
}
