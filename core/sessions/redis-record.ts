import type { TokenCipher } from './token-cipher.js';
import type { NewSession, SessionTokens } from './types.js';

/**
 * How a session is kept in Redis (fields of its user's hash, see redis-scripts.ts):
 *
 *   `<s>`      the meta JSON the scripts read, {p, c, e, s}: the keyed digest of the principal, the
 *              creation and expiry times, and the log label (first 8 characters of the id);
 *   `<s>:tok`  sealed: the tokens and everything they are used with (Taiga URL, user key, username,
 *              user id), with the session digest and that exact meta JSON as associated data.
 *
 * So nothing that says where a token goes or whose it is can be read or changed without the store
 * key: a meta field edited in Redis (another principal, a later expiry) or a blob moved to another
 * session no longer opens, and the session answers as unknown. A username, Taiga URL or principal
 * never appears in the clear. Records of the earlier format (v1: the meta in the clear) never open.
 */
const FORMAT = 'taiga-mcp session v2';

export interface Meta {
  /** Keyed digest of the principal: the scripts compare it with the caller's. */
  p: string;
  c: number;
  e: number;
  s: string;
}

/** What only the sealed blob holds. */
export interface Identity {
  apiUrl: string;
  userKey: string;
  username: string;
  userId: number;
}

export interface Opened extends Identity, SessionTokens {
  createdAt: number;
  expiresAt: number;
}

const associated = (s: string, meta: string): string => `${FORMAT}\n${s}\n${meta}`;

/** The meta JSON (stored as it is, so that the seal covers its exact bytes) and the sealed blob of a new session. */
export function sealSession(cipher: TokenCipher, s: string, session: NewSession, createdAt: number, ttlMs: number): { meta: string; sealed: string } {
  const meta: Meta = { p: cipher.digest(session.principal), c: createdAt, e: createdAt + ttlMs, s: session.id.slice(0, 8) };
  const raw = JSON.stringify(meta);
  const tokens = { authToken: session.authToken, refreshToken: session.refreshToken ?? '' };
  return { meta: raw, sealed: seal(cipher, s, raw, session, tokens) };
}

/** The same session with rotated tokens: sealed to the meta it was read with. */
export function resealSession(cipher: TokenCipher, s: string, meta: string, identity: Identity, next: SessionTokens): string {
  return seal(cipher, s, meta, identity, next);
}

function seal(cipher: TokenCipher, s: string, meta: string, who: Identity, tokens: SessionTokens): string {
  return cipher.seal(JSON.stringify([tokens.authToken, tokens.refreshToken, who.apiUrl, who.userKey, who.username, who.userId]), associated(s, meta));
}

/**
 * The session as stored, or undefined when the blob does not open with this key for this session
 * and this exact meta (key changed, a field altered, a blob moved, the old format).
 */
export function openSession(cipher: TokenCipher, s: string, meta: string, sealed: string): Opened | undefined {
  const plain = cipher.open(sealed, associated(s, meta));
  if (plain === undefined) return undefined;
  const [authToken, refreshToken, apiUrl, userKey, username, userId] = JSON.parse(plain) as [string, string, string, string, string, number];
  const { c, e } = JSON.parse(meta) as Meta;
  return { authToken, refreshToken, apiUrl, userKey, username, userId, createdAt: c, expiresAt: e };
}
