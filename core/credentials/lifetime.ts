import type { Config } from '../config/schema.js';
import { jwtExpiry } from './authorization.js';

export type CredentialKind = 'application_token' | 'password' | 'refresh_token' | 'access_token' | 'none';

export interface CredentialLifetime {
  kind: CredentialKind;
  /** One sentence: how long the configured credential keeps the server working. */
  lasts: string;
  /** When it stops working, if it says (a JWT's `exp`). */
  expiresAt?: number;
  /** What to configure instead, when it does not last. */
  advice?: string;
}

export const LASTING_CREDENTIALS = 'TAIGA_APPLICATION_TOKEN (lasts until revoked), or TAIGA_USERNAME and TAIGA_PASSWORD';

const when = (ms: number, now: number): string => {
  const hours = (ms - now) / 3_600_000;
  const span = hours < 0 ? `${Math.round(-hours)} h ago` : hours < 48 ? `in ${Math.round(hours)} h` : `in ${Math.round(hours / 24)} days`;
  return `${new Date(ms).toISOString()} (${span})`;
};

/** The configured default credential: which kind wins (same order as DefaultCredentials) and how long it lasts. */
export function credentialLifetime(taiga: Config['taiga'], now = Date.now()): CredentialLifetime {
  if (taiga.applicationToken) return { kind: 'application_token', lasts: 'An application token lasts until it is revoked in Taiga.' };
  if (taiga.username && taiga.password) {
    return { kind: 'password', lasts: 'Username and password last as long as the password: tokens are refreshed, and the server logs in again when the refresh token runs out.' };
  }
  if (taiga.refreshToken) {
    const expiresAt = jwtExpiry(taiga.refreshToken);
    return {
      kind: 'refresh_token',
      lasts: `A refresh token lasts 8 days from its last use${expiresAt ? ` (the configured one expires ${when(expiresAt, now)})` : ''}; each use gives a new one, kept in the refresh-token file, so the server keeps working while it is used at least once every 8 days.`,
      ...(expiresAt !== undefined && { expiresAt }),
      advice: `For a setup that never needs renewing, configure ${LASTING_CREDENTIALS}.`,
    };
  }
  if (taiga.token) {
    const expiresAt = jwtExpiry(taiga.token);
    return {
      kind: 'access_token',
      lasts: `An access token lasts 24 h and cannot be renewed${expiresAt ? `; this one expires ${when(expiresAt, now)}` : ''}.`,
      ...(expiresAt !== undefined && { expiresAt }),
      advice: `Configure ${LASTING_CREDENTIALS}, or TAIGA_REFRESH_TOKEN.`,
    };
  }
  return { kind: 'none', lasts: 'No Taiga account is configured.', advice: `Set TAIGA_API_URL and ${LASTING_CREDENTIALS}.` };
}
