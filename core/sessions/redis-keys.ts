import { createHash } from 'node:crypto';

/**
 * The key layout of the Redis store. Redis Cluster hashes only the part of a key between the
 * first `{` and the next `}`, so every key that one script touches shares one such tag:
 *
 *   <prefix>user:{<user>}          hash: all sessions of one Taiga user (the per-user cap is one script on one key)
 *   <prefix>sid:{<session>}        string: which user hash holds the session (set once, never changed)
 *   <prefix>lock:{<session>}       string: the refresh lock, its value the holder's owner token
 *   <prefix>login:{<source>}:n     sorted set: login attempts in the window
 *   <prefix>login:{<source>}:until string: end of the lockout (same tag: one script reads both)
 *   <prefix>bucket:{<key>}         hash: a tool-call token bucket
 *   <prefix>once:{<key>}           string: a key claimed once (claimOnce), lapsing with its TTL
 *
 * `<user>`, `<session>`, `<source>` and `<key>` are SHA-256 digests, so no session id, username or
 * address is kept in the clear, and no caller's string can put a brace into a key. The prefix is
 * refused if it holds a brace (config schema), for the same reason.
 */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  digest(value: string): string {
    return createHash('sha256').update(value).digest('base64url');
  }

  user(user: string): string {
    return `${this.prefix}user:{${user}}`;
  }

  /** SCAN pattern of every user hash (the prefix is brace-free, and `*`, `?`, `[` are escaped). */
  allUsers(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}user:{*}`;
  }

  pointer(session: string): string {
    return `${this.prefix}sid:{${session}}`;
  }

  lock(session: string): string {
    return `${this.prefix}lock:{${session}}`;
  }

  login(source: string): [attempts: string, lockout: string] {
    return [`${this.prefix}login:{${source}}:n`, `${this.prefix}login:{${source}}:until`];
  }

  once(key: string): string {
    return `${this.prefix}once:{${key}}`;
  }

  bucket(key: string): string {
    return `${this.prefix}bucket:{${key}}`;
  }
}
