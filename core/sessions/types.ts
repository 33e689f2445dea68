/** A login-created session as stored. Tokens stay server-side; the client only holds `id`. */
export interface SessionRecord {
  id: string;
  /** Who opened it (an HTTP principal, or "local" for stdio): only they can use, see or close it. */
  principal: string;
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

/** What `createSession` is given: the store stamps the times with its own clock. */
export type NewSession = Omit<SessionRecord, 'createdAt' | 'expiresAt' | 'lastAccessedAt'>;

export type SessionLookup =
  | { state: 'active'; record: SessionRecord }
  | { state: 'expired' }
  | { state: 'unknown' };

export interface SessionTokens {
  authToken: string;
  refreshToken: string;
}

/** `updated`: written. `stale`: the refresh token was no longer the expected one; nothing written. `gone`: no active session. */
export type TokenUpdate = 'updated' | 'stale' | 'gone';

export interface LoginLimits {
  /** Attempts allowed in the sliding window. */
  max: number;
  windowMs: number;
  lockoutMs: number;
}

/** The store's time when it judged the attempt, and the end of the lockout if the attempt is refused. */
export interface LoginVerdict {
  now: number;
  lockedUntil?: number;
}

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
 * Session and rate-limit state, written for a store that returns copies and is shared by several
 * server processes (Redis): no caller ever writes a whole record back, every read-modify-write
 * happens inside the store in one atomic step, and every time is the store's clock, never the
 * caller's (instances' clocks differ).
 *
 * Records handed out are snapshots: changing one changes nothing in the store.
 * A store failure (unreachable, timed out) rejects with the coded error STORE_UNAVAILABLE.
 */
export interface StateStore {
  /** The store's clock, in ms since the epoch: the one every expiry and window below is judged by. */
  now(): Promise<number>;

  /**
   * Stores a session with `createdAt = lastAccessedAt = now` and `expiresAt = now + ttlMs`, and in
   * the same atomic step drops the user's oldest active sessions beyond `maxPerUser`: however many
   * logins of one user run at once, on however many instances, the user never has more than
   * `maxPerUser` active sessions. Returns the stored record and the log labels (first 8
   * characters) of the dropped sessions, which from then on answer `unknown`.
   */
  createSession(session: NewSession, opts: { ttlMs: number; maxPerUser: number }): Promise<{ record: SessionRecord; evicted: string[] }>;

  /**
   * Looks a session up for `principal`. A session past its expiry answers `expired` for a while
   * (at least a day) before it answers `unknown`. A session of another principal answers
   * exactly like one that does not exist: `unknown`, expired or not.
   */
  getSession(id: string, principal: string): Promise<SessionLookup>;

  /** As `getSession`, and sets `lastAccessedAt` to now on an active session of `principal`; no other field is written. */
  touchSession(id: string, principal: string): Promise<SessionLookup>;

  /**
   * Compare-and-set of a refresh-token rotation: writes `next` (and nothing else) only if the
   * session is active and its refresh token is still `expectedRefreshToken`.
   */
  updateTokens(id: string, expectedRefreshToken: string, next: SessionTokens): Promise<TokenUpdate>;

  /**
   * Makes an active session `expired` now (Taiga refused its refresh token), only if its refresh
   * token is still `expectedRefreshToken`: a session that another instance has just refreshed
   * stays alive. Returns whether it expired it.
   */
  expireSession(id: string, expectedRefreshToken: string): Promise<boolean>;

  /** Logout: deletes an active session of `principal` (it then answers `unknown`); returns the state it found. */
  deleteSession(id: string, principal: string): Promise<SessionLookup['state']>;

  /**
   * One refresh at a time per session, across instances: returns an owner token if this caller
   * now holds the session's refresh lock, else undefined. The lock lapses after `ttlMs` so that a
   * crashed holder cannot block the session for longer.
   */
  acquireRefreshLock(id: string, ttlMs: number): Promise<string | undefined>;

  /** Releases the lock only if `owner` still holds it (a lapsed lock may have a new holder); returns whether it did. */
  releaseRefreshLock(id: string, owner: string): Promise<boolean>;

  /**
   * One login attempt from `source`, judged atomically: refused while a lockout runs (not
   * counted); else counted in the sliding window, and the attempt that goes over `max` starts the
   * lockout and is refused. Shared by every instance.
   */
  loginAttempt(source: string, limits: LoginLimits): Promise<LoginVerdict>;

  /**
   * The lockout that `loginAttempt` started for `source`, if it still runs; counts nothing. Lets a
   * caller refuse before doing the work an attempt costs (checking a credential), and count only
   * the attempts that failed.
   */
  lockout(source: string): Promise<LoginVerdict>;

  /**
   * Single use, across instances: returns true to the first caller that claims `key`, false to every
   * later one until `ttlMs` has passed (a confirmation answer is spent once, core/confirm). A store
   * that cannot remember one more key refuses it (false) rather than forget an older one.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;

  /** Token bucket, atomic: returns 0 when a token was taken, else the milliseconds until one is available. */
  takeToken(key: string, burst: number, perSecond: number): Promise<number>;

  /** Drops expired sessions where the store does not do it by itself (remembering them as expired); returns how many. */
  sweep(): Promise<number>;

  /** Sessions that have not expired, over every principal (the sessions gauge); may cost a scan. */
  activeSessions(): Promise<number>;
  /** Whether the store answers now (for a readiness probe); never throws. */
  ready(): Promise<boolean>;

  close(): Promise<void>;
}
