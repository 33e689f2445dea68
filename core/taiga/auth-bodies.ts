import { TaigaMcpError } from '../errors.js';
import { isRecord } from './error-text.js';

export interface LoginResult {
  authToken: string;
  refreshToken: string;
  user: { id: number; username: string; fullName: string; email?: string };
}

export interface RefreshResult {
  authToken: string;
  refreshToken: string;
}

const unexpected = (what: string): TaigaMcpError =>
  new TaigaMcpError('TAIGA_UNAVAILABLE', { message: `Taiga's ${what} answer does not have the expected shape.` });

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** POST /auth 200: the admin user serializer plus `auth_token` and `refresh` (taiga-api.md §2.2). */
export function parseLoginBody(body: unknown): LoginResult {
  if (!isRecord(body)) throw unexpected('login');
  const { auth_token: authToken, refresh, id, username, full_name: fullName, email } = body;
  if (!nonEmptyString(authToken) || typeof id !== 'number' || !nonEmptyString(username)) throw unexpected('login');
  if (!nonEmptyString(refresh)) {
    // Taiga before 6.0 issued a single non-expiring token and no refresh token.
    throw new TaigaMcpError('TAIGA_UNAVAILABLE', {
      message: "Taiga's login answer has no refresh token; taiga-mcp needs Taiga 6.0 or later.",
    });
  }
  return {
    authToken,
    refreshToken: refresh,
    user: {
      id,
      username,
      fullName: typeof fullName === 'string' && fullName !== '' ? fullName : username,
      ...(nonEmptyString(email) && { email }),
    },
  };
}

/** POST /auth/refresh 200: `{auth_token, refresh}`; the refresh token rotates every time (§2.4). */
export function parseRefreshBody(body: unknown): RefreshResult {
  if (!isRecord(body)) throw unexpected('token refresh');
  const { auth_token: authToken, refresh } = body;
  if (!nonEmptyString(authToken) || !nonEmptyString(refresh)) throw unexpected('token refresh');
  return { authToken, refreshToken: refresh };
}
