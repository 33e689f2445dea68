/** The two Authorization schemes Taiga accepts from an API client (taiga-api.md §2.1, §2.6). */
export type AuthScheme = 'Bearer' | 'Application';

/** An `Authorization` header value; tokens travel only in this form. */
export const authorization = (scheme: AuthScheme, token: string): string => `${scheme} ${token}`;

/** A header value safe to send: a known scheme and one token of visible ASCII. */
export const isWellFormedAuthorization = (value: string): boolean => /^(Bearer|Application) [\x21-\x7e]{1,8192}$/.test(value);

/**
 * The expiry (ms since epoch) a JWT states, read without verifying it: only to tell the user how
 * long a configured token lasts. Undefined for anything that is not a JWT with a numeric `exp`.
 */
export function jwtExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (token.split('.').length !== 3 || !part) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
