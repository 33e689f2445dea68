/** A login-created session as stored. Tokens stay server-side; the client only holds `id`. */
export interface SessionRecord {
  id: string;
  /** `apiUrl|username`, lower-cased: the unit of the per-user session cap. */
  userKey: string;
  username: string;
  userId: number;
  apiUrl: string;
  authToken: string;
  refreshToken?: string;
  createdAt: number;
  expiresAt: number;
  lastAccessedAt: number;
}

export type SessionLookup =
  | { state: 'active'; record: SessionRecord }
  | { state: 'expired' }
  | { state: 'unknown' };

/** What tools and logs see of a session: never the tokens, never the full id. */
export interface SessionView {
  /** First 8 characters of the id, or "default" for the configured-credentials session. */
  readonly id: string;
  readonly username: string;
  readonly userId: number;
  readonly apiUrl: string;
  readonly isDefault: boolean;
}

/**
 * Session and rate-limit state. Asynchronous so that a shared store (Redis) fits behind it,
 * letting several server instances share sessions and limits.
 */
export interface StateStore {
  getSession(id: string, now: number): Promise<SessionLookup>;
  putSession(record: SessionRecord): Promise<void>;
  deleteSession(id: string): Promise<boolean>;
  sessionsOfUser(userKey: string, now: number): Promise<SessionRecord[]>;
  /** Drops expired sessions (remembering them as expired for a while); returns how many. */
  sweep(now: number): Promise<number>;
  countSessions(): Promise<number>;
  /** Counts an attempt under `key` in a sliding window; returns the count including this one. */
  recordAttempt(key: string, windowMs: number, now: number): Promise<number>;
  setLock(key: string, untilMs: number): Promise<void>;
  getLock(key: string, now: number): Promise<number | undefined>;
  /** Token bucket: returns 0 when a token was taken, else the milliseconds until one is available. */
  takeToken(key: string, burst: number, perSecond: number, now: number): Promise<number>;
  close(): Promise<void>;
}
