import { randomUUID } from 'node:crypto';
import { TaigaMcpError } from '../errors.js';
import { shortId, type Logger } from '../logger.js';
import type { Config } from '../config/schema.js';
import type { TaigaHosts } from '../taiga-hosts.js';
import { DefaultCredentials } from './default-credentials.js';
import { authorization } from '../credentials/authorization.js';
import { defaultRefreshTokenFile, RefreshTokenFile } from '../credentials/refresh-token-file.js';
import { LoginLimiter } from './login-limiter.js';
import type { TokenSource } from './taiga-session.js';
import type { SessionRecord, SessionView, StateStore } from './types.js';

export interface AuthenticatedCaller {
  view: SessionView;
  apiUrl: string;
  tokens: TokenSource;
}

export interface LoginResult {
  session_id: string;
  username: string;
  user_id: number;
  expires_at: string;
}

/** Sessions as in the brief §4: random ids, TTL, per-user cap, clean-up, login limit. */
export class SessionManager {
  private readonly limiter: LoginLimiter;
  private readonly defaultCreds: DefaultCredentials | undefined;
  private readonly refreshing = new Map<string, Promise<string>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: Config,
    private readonly store: StateStore,
    private readonly hosts: TaigaHosts,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new LoginLimiter(store, config.rateLimits.loginPerMinute, config.rateLimits.loginLockoutMinutes);
    const creds = config.taiga;
    this.defaultCreds = DefaultCredentials.configured(creds)
      ? new DefaultCredentials(hosts.client(), creds, creds.refreshToken ? new RefreshTokenFile(creds.refreshTokenFile ?? defaultRefreshTokenFile()) : undefined)
      : undefined;
  }

  get hasDefault(): boolean {
    return this.defaultCreds !== undefined;
  }

  startCleanup(): void {
    this.timer = setInterval(() => {
      this.store.sweep(this.now()).then(
        (n) => n > 0 && this.logger.info({ dropped: n }, 'expired sessions cleaned up'),
        (err: unknown) => this.logger.error({ err: String(err) }, 'session clean-up failed'),
      );
    }, this.config.sessions.cleanupIntervalSeconds * 1000);
    this.timer.unref();
  }

  stopCleanup(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async login(input: { username: string; password: string; host?: string | undefined; source: string; signal: AbortSignal }): Promise<LoginResult> {
    const apiUrl = this.hosts.resolve(input.host);
    const now = this.now();
    await this.limiter.check(input.source, now);
    const result = await this.hosts.client(apiUrl).login(input.username, input.password, input.signal);
    const record: SessionRecord = {
      id: randomUUID(),
      userKey: `${apiUrl}|${result.user.username}`.toLowerCase(),
      username: result.user.username,
      userId: result.user.id,
      apiUrl,
      authToken: result.authToken,
      refreshToken: result.refreshToken,
      createdAt: now,
      expiresAt: now + this.config.sessions.expirySeconds * 1000,
      lastAccessedAt: now,
    };
    await this.store.putSession(record);
    const mine = await this.store.sessionsOfUser(record.userKey, now);
    for (const old of mine.slice(0, Math.max(0, mine.length - this.config.sessions.maxPerUser))) {
      await this.store.deleteSession(old.id);
      this.logger.info({ session: shortId(old.id), user: old.username }, 'oldest session dropped: per-user cap reached');
    }
    this.logger.info({ session: shortId(record.id), user: record.username }, 'session created');
    return { session_id: record.id, username: record.username, user_id: record.userId, expires_at: new Date(record.expiresAt).toISOString() };
  }

  async logout(id: string): Promise<boolean> {
    const found = await this.store.getSession(id, this.now());
    if (found.state === 'unknown') throw new TaigaMcpError('SESSION_INVALID');
    if (found.state === 'active') await this.store.deleteSession(id);
    this.logger.info({ session: shortId(id) }, 'session closed');
    return found.state === 'active';
  }

  async status(id: string): Promise<SessionRecord> {
    const found = await this.store.getSession(id, this.now());
    if (found.state === 'unknown') throw new TaigaMcpError('SESSION_INVALID');
    if (found.state === 'expired') throw new TaigaMcpError('SESSION_EXPIRED');
    return found.record;
  }

  /** Who is calling: the named session, else the configured account, else AUTH_REQUIRED. */
  async authenticate(sessionId: string | undefined, signal: AbortSignal): Promise<AuthenticatedCaller> {
    if (sessionId === undefined) {
      if (!this.defaultCreds) throw new TaigaMcpError('AUTH_REQUIRED');
      const me = await this.defaultCreds.whoAmI(signal);
      const apiUrl = this.hosts.defaultApiUrl;
      return { view: { id: 'default', username: me.username, userId: me.userId, apiUrl, isDefault: true }, apiUrl, tokens: this.defaultCreds };
    }
    const record = await this.status(sessionId);
    record.lastAccessedAt = this.now();
    await this.store.putSession(record);
    return {
      view: { id: shortId(record.id)!, username: record.username, userId: record.userId, apiUrl: record.apiUrl, isDefault: false },
      apiUrl: record.apiUrl,
      tokens: this.storedTokens(record.id),
    };
  }

  /** Tokens of a login-created session; a rotated refresh token is written back to the store. */
  private storedTokens(id: string): TokenSource {
    return {
      current: async () => authorization('Bearer', (await this.status(id)).authToken),
      renew: (rejected) => {
        let pending = this.refreshing.get(id);
        if (!pending) {
          pending = this.refresh(id, rejected).finally(() => this.refreshing.delete(id));
          this.refreshing.set(id, pending);
        }
        return pending;
      },
    };
  }

  /**
   * Shared by concurrent callers, so it runs on the client's own deadline, not on one caller's
   * signal: Taiga denylists the old refresh token at once, and a rotated token lost to a
   * cancelled caller would end the session. The record is read again after the wait, so a
   * logout (or cap eviction) meanwhile is not undone.
   */
  private async refresh(id: string, rejected: string): Promise<string> {
    const record = await this.status(id);
    if (authorization('Bearer', record.authToken) !== rejected) return authorization('Bearer', record.authToken);
    if (!record.refreshToken) throw new TaigaMcpError('SESSION_EXPIRED', { message: 'Taiga no longer accepts this session.' });
    let fresh: { authToken: string; refreshToken: string };
    try {
      fresh = await this.hosts.client(record.apiUrl).refresh(record.refreshToken);
    } catch (err) {
      if (err instanceof TaigaMcpError && err.code === 'AUTH_FAILED') {
        const current = await this.status(id);
        current.expiresAt = this.now();
        await this.store.putSession(current);
        throw new TaigaMcpError('SESSION_EXPIRED', { message: 'Taiga no longer accepts this session.' });
      }
      throw err;
    }
    const current = await this.status(id);
    current.authToken = fresh.authToken;
    current.refreshToken = fresh.refreshToken;
    await this.store.putSession(current);
    return authorization('Bearer', fresh.authToken);
  }
}
