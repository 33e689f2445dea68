// JWT handling like taiga-back's simplejwt fork (§2): HS256 access and refresh
// tokens, refresh rotation with a denylist, and the Bearer failure bodies.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { rawError, WWW_AUTHENTICATE } from './http.js';
import type { State } from './state.js';
import type { User } from './types.js';

const REFRESH_TTL_SECONDS = 8 * 24 * 3600;

interface Claims {
  token_type: 'access' | 'refresh';
  exp: number;
  iat: number;
  serial: number;
  jti: string;
  user_id: number;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class TokenService {
  private readonly secret = randomUUID();
  private denylist = new Set<string>();
  /** Application tokens (taiga-api.md §2.6) → user id; they do not expire. */
  private applicationTokens = new Map<string, number>();
  /** Every token carries a serial number; access tokens below this one are rejected (`expireAccessTokens()`). */
  private serial = 0;
  private accessMinSerial = 0;

  constructor(private readonly accessTtlSeconds: number) {}

  reset(): void {
    this.denylist.clear();
    this.applicationTokens.clear();
    this.accessMinSerial = 0;
  }

  expireAccessTokens(): void {
    this.accessMinSerial = this.serial + 1;
  }

  /** What `POST /application-tokens/validate` hands out: an opaque signed string. */
  issueApplicationToken(userId: number): string {
    const token = `${userId}:${randomUUID().replace(/-/g, '')}:${this.mac(String(userId)).slice(0, 16)}`;
    this.applicationTokens.set(token, userId);
    return token;
  }

  issuePair(userId: number): { auth_token: string; refresh: string } {
    return { auth_token: this.sign('access', userId, this.accessTtlSeconds), refresh: this.sign('refresh', userId, REFRESH_TTL_SECONDS) };
  }

  /** POST /auth/refresh: rotates and denylists the submitted refresh token. */
  refresh(token: string): { auth_token: string; refresh: string } {
    const claims = this.decode(token);
    if (!claims || claims.token_type !== 'refresh' || this.denylist.has(claims.jti)) {
      throw rawError(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }, WWW_AUTHENTICATE);
    }
    this.denylist.add(claims.jti);
    return this.issuePair(claims.user_id);
  }

  /**
   * Authenticates the Authorization header. Returns null for "no credentials"
   * (absent header or a non-Bearer scheme), throws the 401 bodies of §2.5.
   */
  authenticate(header: string | undefined, state: State): User | null {
    if (!header) return null;
    const parts = header.trim().split(/\s+/);
    if (parts[0] === 'Application') {
      const userId = parts.length === 2 ? this.applicationTokens.get(parts[1]!) : undefined;
      const user = userId === undefined ? undefined : state.users.get(userId);
      if (!user) throw rawError(401, { _error_message: 'Invalid token', _error_type: 'taiga.base.exceptions.NotAuthenticated' }, WWW_AUTHENTICATE);
      return user;
    }
    if (parts[0] !== 'Bearer') return null;
    if (parts.length !== 2) {
      throw rawError(401, { detail: 'Authorization header must contain two space-delimited values', code: 'bad_authorization_header' }, WWW_AUTHENTICATE);
    }
    const claims = this.decode(parts[1]!);
    const invalid = (message: string) =>
      rawError(401, {
        detail: 'Given token not valid for any token type',
        code: 'token_not_valid',
        messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
      }, WWW_AUTHENTICATE);
    if (!claims) throw invalid('Token is invalid or expired');
    if (claims.token_type !== 'access') throw invalid('Token has wrong type');
    if (claims.serial < this.accessMinSerial) throw invalid('Token is invalid or expired');
    const user = state.users.get(claims.user_id);
    if (!user) throw rawError(401, { detail: 'User not found', code: 'user_not_found' }, WWW_AUTHENTICATE);
    if (!user.is_active || user.is_system) throw rawError(401, { detail: 'User is inactive', code: 'user_inactive' }, WWW_AUTHENTICATE);
    return user;
  }

  private sign(type: Claims['token_type'], userId: number, ttl: number): string {
    const now = Math.floor(Date.now() / 1000);
    const claims: Claims = { token_type: type, exp: now + ttl, iat: now, serial: ++this.serial, jti: randomUUID().replace(/-/g, ''), user_id: userId };
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify(claims));
    return `${head}.${body}.${this.mac(`${head}.${body}`)}`;
  }

  private mac(input: string): string {
    return createHmac('sha256', this.secret).update(input).digest('base64url');
  }

  /** Verified, unexpired claims, or null. */
  private decode(token: string): Claims | null {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return null;
    const expected = Buffer.from(this.mac(`${head}.${body}`));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Claims;
      return claims.exp * 1000 > Date.now() ? claims : null;
    } catch {
      return null;
    }
  }
}
