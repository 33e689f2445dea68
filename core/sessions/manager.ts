import { randomUUID } from 'node:crypto';
import { LOCAL_PRINCIPAL } from '../principal.js';
import { TaigaMcpError } from '../errors.js';
import { shortId, type Logger } from '../logger.js';
import type { Config } from '../config/schema.js';
import type { TaigaHosts } from '../taiga-hosts.js';
import { DefaultCredentials } from './default-credentials.js';
import { authorization } from '../credentials/authorization.js';
import { defaultRefreshTokenFile, RefreshTokenFile } from '../credentials/refresh-token-file.js';
import { LoginLimiter } from './login-limiter.js';
import { activeSession, refreshSession, type RefreshOptions } from './refresh.js';
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

export interface SessionManagerOptions {
  /** The account a principal uses when it names no session; default: the configured account, for every principal. */
  defaultAccount?: (principal: string) => DefaultCredentials | undefined;
  refresh?: Partial<RefreshOptions>;
}

/** Sessions as in the brief §4: random ids, TTL, per-user cap, clean-up, login limit, bound to their principal. */
export class SessionManager {
  private readonly limiter: LoginLimiter;
  private readonly defaultAccount: (principal: string) => DefaultCredentials | undefined;
  private readonly refreshOptions: RefreshOptions;
  /** This process's refreshes in flight: a fast path in front of the store's lock, which is the truth. */
  private readonly refreshing = new Map<string, Promise<string>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: Config,
    private readonly store: StateStore,
    private readonly hosts: TaigaHosts,
    private readonly logger: Logger,
    opts: SessionManagerOptions = {},
  ) {
    this.limiter = new LoginLimiter(store, config.rateLimits.loginPerMinute, config.rateLimits.loginLockoutMinutes);
    this.defaultAccount = opts.defaultAccount ?? configuredAccount(config, hosts);
    // The HTTP client gives up on a refresh after requestTimeoutSeconds: the lock outlives that.
    this.refreshOptions = { lockTtlMs: config.taiga.requestTimeoutSeconds * 1000 + 5000, pollMs: 50, ...opts.refresh };
  }

  startCleanup(): void {
    this.timer = setInterval(() => {
      this.store.sweep().then(
        (n) => n > 0 && this.logger.info({ dropped: n }, 'expired sessions cleaned up'),
        (err: unknown) => this.logger.error({ err: String(err) }, 'session clean-up failed'),
      );
    }, this.config.sessions.cleanupIntervalSeconds * 1000);
    this.timer.unref();
  }

  stopCleanup(): void {
    clearInterval(this.timer);
  }

  async login(input: { username: string; password: string; host?: string | undefined; source: string; principal: string; signal: AbortSignal }): Promise<LoginResult> {
    const apiUrl = this.hosts.resolve(input.host);
    await this.limiter.check(input.source);
    const result = await this.hosts.client(apiUrl).login(input.username, input.password, input.signal);
    const { record, evicted } = await this.store.createSession(
      {
        id: randomUUID(),
        principal: input.principal,
        // Stryker disable next-line MethodExpression: any case folding is as good: the key is only compared with keys made here
        userKey: `${apiUrl}|${result.user.username}`.toLowerCase(),
        username: result.user.username,
        userId: result.user.id,
        apiUrl,
        authToken: result.authToken,
        refreshToken: result.refreshToken,
      },
      { ttlMs: this.config.sessions.expirySeconds * 1000, maxPerUser: this.config.sessions.maxPerUser },
    );
    for (const old of evicted) this.logger.info({ session: `${old}…`, user: record.username }, 'oldest session dropped: per-user cap reached');
    this.logger.info({ session: shortId(record.id), user: record.username }, 'session created');
    return { session_id: record.id, username: record.username, user_id: record.userId, expires_at: new Date(record.expiresAt).toISOString() };
  }

  async logout(id: string, principal: string): Promise<boolean> {
    const state = await this.store.deleteSession(id, principal);
    if (state === 'unknown') throw new TaigaMcpError('SESSION_INVALID');
    this.logger.info({ session: shortId(id) }, 'session closed');
    return state === 'active';
  }

  async status(id: string, principal: string): Promise<SessionRecord> {
    return activeSession(this.store, id, principal);
  }

  /** Who is calling: the named session (of this principal), else the principal's default account, else AUTH_REQUIRED. */
  async authenticate(sessionId: string | undefined, principal: string, signal: AbortSignal): Promise<AuthenticatedCaller> {
    if (sessionId === undefined) {
      const account = this.defaultAccount(principal);
      if (!account) throw authRequired(principal);
      const me = await account.whoAmI(signal);
      const apiUrl = this.hosts.defaultApiUrl;
      return { view: { id: 'default', username: me.username, userId: me.userId, apiUrl, isDefault: true }, apiUrl, tokens: account };
    }
    // One field-level write: a whole record written back from a stale copy would undo a refresh.
    const found = await this.store.touchSession(sessionId, principal);
    if (found.state === 'unknown') throw new TaigaMcpError('SESSION_INVALID');
    if (found.state === 'expired') throw new TaigaMcpError('SESSION_EXPIRED');
    const { record } = found;
    return {
      view: { id: shortId(record.id)!, username: record.username, userId: record.userId, apiUrl: record.apiUrl, isDefault: false },
      apiUrl: record.apiUrl,
      tokens: this.storedTokens(record.id, principal),
    };
  }

  /** Tokens of a login-created session, read from the store at each use. */
  private storedTokens(id: string, principal: string): TokenSource {
    return {
      current: async () => authorization('Bearer', (await activeSession(this.store, id, principal)).authToken),
      renew: (rejected) => {
        let pending = this.refreshing.get(id);
        if (!pending) {
          pending = refreshSession(this.store, this.hosts, this.refreshOptions, id, principal, rejected).finally(() => this.refreshing.delete(id));
          this.refreshing.set(id, pending);
        }
        return pending;
      },
    };
  }
}

/** The configured account (username and password, or a token), the same for every principal. */
export function configuredAccount(config: Config, hosts: TaigaHosts): (principal: string) => DefaultCredentials | undefined {
  const creds = config.taiga;
  const account = DefaultCredentials.configured(creds)
    ? new DefaultCredentials(hosts.client(), creds, creds.refreshToken ? new RefreshTokenFile(creds.refreshTokenFile ?? defaultRefreshTokenFile()) : undefined)
    : undefined;
  return () => account;
}

/** No account and no session: a local user is told what to configure; an HTTP principal, what its operator can do. */
function authRequired(principal: string): TaigaMcpError {
  if (principal === LOCAL_PRINCIPAL) return new TaigaMcpError('AUTH_REQUIRED');
  return new TaigaMcpError('AUTH_REQUIRED', {
    message: `No Taiga account is configured for ${principal.slice(0, 80)}, and no session_id was given.`,
    hint: 'Use the session_id of a login session, or ask the operator of this server to give this principal a Taiga account (http.auth.apiKeys[].taiga). Never ask for a password in the chat.',
  });
}
