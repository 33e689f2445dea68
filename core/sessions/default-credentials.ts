import { TaigaMcpError } from '../errors.js';
import type { TaigaHttp } from '../taiga/http.js';
import type { TokenSource } from './taiga-session.js';

interface Identity { userId: number; username: string }

/**
 * The session of the configured account: logged in lazily at first use, refreshed with
 * Taiga's rotating refresh token, and logged in again with the password if refresh fails.
 * The password never passes through the model.
 */
export class DefaultCredentials implements TokenSource {
  private authToken: string | undefined;
  private refreshToken: string | undefined;
  private identity: Identity | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly http: TaigaHttp,
    private readonly creds: { username?: string | undefined; password?: string | undefined; token?: string | undefined },
  ) {
    this.authToken = creds.token;
  }

  static configured(creds: { username?: string | undefined; password?: string | undefined; token?: string | undefined }): boolean {
    return Boolean(creds.token || (creds.username && creds.password));
  }

  async current(signal: AbortSignal): Promise<string> {
    return this.authToken ?? this.singleFlight(() => this.login(signal));
  }

  async renew(rejected: string, signal: AbortSignal): Promise<string> {
    if (this.authToken !== undefined && this.authToken !== rejected) return this.authToken;
    return this.singleFlight(async () => {
      if (this.refreshToken) {
        try {
          // The client's own deadline, not the caller's signal: see SessionManager.refresh.
          const fresh = await this.http.refresh(this.refreshToken);
          this.refreshToken = fresh.refreshToken;
          return (this.authToken = fresh.authToken);
        } catch (err) {
          if (!(err instanceof TaigaMcpError) || err.code !== 'AUTH_FAILED') throw err;
        }
      }
      if (this.creds.username && this.creds.password) return this.login(signal);
      throw new TaigaMcpError('AUTH_FAILED', { message: 'Taiga rejected the configured access token.', hint: 'The operator must set a valid TAIGA_TOKEN, or TAIGA_USERNAME and TAIGA_PASSWORD.' });
    });
  }

  /** Who the configured account is; asks Taiga once. */
  async whoAmI(signal: AbortSignal): Promise<Identity> {
    if (this.identity) return this.identity;
    const token = await this.current(signal);
    if (!this.identity) {
      let me;
      try {
        me = await this.http.request<{ id: number; username: string }>({ method: 'GET', path: '/users/me', token, signal });
      } catch (err) {
        if (!(err instanceof TaigaMcpError) || err.code !== 'AUTH_FAILED') throw err;
        me = await this.http.request<{ id: number; username: string }>({ method: 'GET', path: '/users/me', token: await this.renew(token, signal), signal });
      }
      this.identity = { userId: me.body.id, username: me.body.username };
    }
    return this.identity;
  }

  private async login(signal: AbortSignal): Promise<string> {
    const { username, password } = this.creds;
    if (!username || !password) throw new TaigaMcpError('AUTH_REQUIRED');
    const result = await this.http.login(username, password, signal);
    this.refreshToken = result.refreshToken;
    this.identity = { userId: result.user.id, username: result.user.username };
    return (this.authToken = result.authToken);
  }

  private singleFlight(run: () => Promise<string>): Promise<string> {
    this.pending ??= run().finally(() => (this.pending = undefined));
    return this.pending;
  }
}
