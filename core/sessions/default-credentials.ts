import { TaigaMcpError } from '../errors.js';
import type { TaigaHttp } from '../taiga/http.js';
import type { Config } from '../config/schema.js';
import { authorization } from '../credentials/authorization.js';
import { credentialLifetime, LASTING_CREDENTIALS } from '../credentials/lifetime.js';
import type { RefreshTokenFile } from '../credentials/refresh-token-file.js';
import type { TokenSource } from './taiga-session.js';

/** Taiga refused the credential: only the catalog's errors carry this code. */
const refused = (err: unknown): boolean => (err as { code?: unknown }).code === 'AUTH_FAILED';

interface Identity { userId: number; username: string }
type Creds = Pick<Config['taiga'], 'username' | 'password' | 'token' | 'refreshToken' | 'applicationToken'>;

/**
 * The session of the configured account, from whichever credential lasts longest:
 * an application token (sent as `Application …`, never renewed); else username and password
 * (logged in lazily, refreshed with Taiga's rotating refresh token, logged in again when that
 * fails); else a refresh token (its newest rotation kept in a file, so a restart can go on);
 * else an access token (24 h, then AUTH_FAILED saying what to configure).
 * The password never passes through the model.
 */
export class DefaultCredentials implements TokenSource {
  private header: string | undefined;
  private refreshToken: string | undefined;
  private identity: Identity | undefined;
  private pending: Promise<string> | undefined;
  /** Keeps a rotated refresh token in the file, on the line of the configured one. */
  private readonly keep: ((newest: string) => void) | undefined;

  constructor(
    private readonly http: TaigaHttp,
    private readonly creds: Creds,
    tokenFile?: RefreshTokenFile,
  ) {
    if (creds.applicationToken) this.header = authorization('Application', creds.applicationToken);
    else if (creds.token) this.header = authorization('Bearer', creds.token);
    const configured = creds.refreshToken;
    // Stryker disable next-line ConditionalExpression: "true" is equivalent (the file comes only with a refresh token, see configuredAccount); "false" is killed by the restart test
    if (configured) {
      this.refreshToken = tokenFile?.newest(http.baseUrl, configured) ?? configured;
      if (tokenFile) this.keep = (newest) => tokenFile.save(http.baseUrl, configured, newest);
    }
  }

  static configured(creds: Creds): boolean {
    return Boolean(creds.applicationToken || creds.token || creds.refreshToken || (creds.username && creds.password));
  }

  async current(): Promise<string> {
    return this.header ?? this.singleFlight(() => (this.canLogIn() ? this.login() : this.refresh()));
  }

  async renew(rejected: string): Promise<string> {
    // Stryker disable next-line ConditionalExpression: renew() follows the current() that gave `rejected`, which set the header: it is never undefined here
    if (this.header !== undefined && this.header !== rejected) return this.header;
    return this.singleFlight(async () => {
      if (this.creds.applicationToken) throw this.notLasting('Taiga rejected the configured application token (revoked, or not an application token).');
      if (this.refreshToken) {
        try {
          return await this.refresh();
        } catch (err) {
          if (!refused(err) || !this.canLogIn()) throw err;
        }
      }
      if (this.canLogIn()) return this.login();
      throw this.notLasting('Taiga rejected the configured access token (expired: access tokens last 24 h).');
    });
  }

  /** Who the configured account is; asks Taiga once. */
  async whoAmI(signal: AbortSignal): Promise<Identity> {
    const auth = await this.current();
    if (!this.identity) {
      let me;
      try {
        me = await this.http.request<{ id: number; username: string }>({ method: 'GET', path: '/users/me', authorization: auth, signal });
      } catch (err) {
        if (!refused(err)) throw err;
        me = await this.http.request<{ id: number; username: string }>({ method: 'GET', path: '/users/me', authorization: await this.renew(auth), signal });
      }
      this.identity = { userId: me.body.id, username: me.body.username };
    }
    return this.identity;
  }

  private canLogIn(): boolean {
    return Boolean(this.creds.username && this.creds.password);
  }

  /**
   * Login and refresh are shared by every concurrent caller, so they run on the client's own
   * deadline and never on one caller's signal: a cancelled caller must not cost the others their
   * login, nor lose a rotated refresh token that Taiga has already denylisted the old one for.
   */
  private async login(): Promise<string> {
    const result = await this.http.login(this.creds.username!, this.creds.password!);
    this.refreshToken = result.refreshToken;
    this.identity = { userId: result.user.id, username: result.user.username };
    return (this.header = authorization('Bearer', result.authToken));
  }

  private async refresh(): Promise<string> {
    if (!this.refreshToken) throw this.notLasting('No refresh token is available.');
    let fresh;
    try {
      fresh = await this.http.refresh(this.refreshToken);
    } catch (err) {
      // Said only where no password can log in again (renew logs in when it can).
      if (refused(err)) {
        throw this.notLasting('Taiga rejected the configured refresh token (expired after 8 days unused, revoked, or already used elsewhere).');
      }
      throw err;
    }
    this.refreshToken = fresh.refreshToken;
    this.keep?.(fresh.refreshToken);
    return (this.header = authorization('Bearer', fresh.authToken));
  }

  private notLasting(message: string): TaigaMcpError {
    const { kind, lasts, advice } = credentialLifetime(this.creds as Config['taiga']);
    return new TaigaMcpError('AUTH_FAILED', {
      message: `${message} ${lasts}`,
      details: { credential: kind },
      hint: `Tell the user to fix this server's Taiga credential in the MCP client's config. ${advice ?? `Configure ${LASTING_CREDENTIALS}.`}`,
    });
  }

  private singleFlight(run: () => Promise<string>): Promise<string> {
    this.pending ??= run().finally(() => (this.pending = undefined));
    return this.pending;
  }
}
