import { createHash, randomBytes } from 'node:crypto';
import type { HttpConfig } from '../../config/http-schema.js';
import type { ToolsetDefinition } from '../../plugin/types.js';
import { keyGrant, type Grant } from '../../access/grant.js';

/** Keys look like `tmcp_<43 base64url chars>` (256 random bits), so a leaked one is easy to grep for. */
const PREFIX = 'tmcp_';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

export function newApiKey(): { key: string; sha256: string } {
  const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, sha256: sha256Hex(key) };
}

/**
 * The configured API keys, by the SHA-256 of the key: the config never holds a key, and a
 * look-up by digest gives an attacker no timing to learn from (they do not choose the digest).
 */
export class ApiKeys {
  private readonly byDigest = new Map<string, KeyHolder>();

  /** `toolsets`: the known ones, to check each key's `toolsets` at start. */
  constructor(keys: HttpConfig['auth']['apiKeys'], extra: Array<{ sha256: string; principal: string }>, toolsets: readonly ToolsetDefinition[]) {
    keys.forEach((key, i) => this.byDigest.set(key.sha256, { principal: key.principal, grant: keyGrant(key, toolsets, `http.auth.apiKeys[${i}]`) }));
    for (const { sha256, principal } of extra) this.byDigest.set(sha256, { principal, grant: undefined });
  }

  /** The principal a presented key acts as, and what the key grants, if it is one of ours. */
  holderOf(key: string): KeyHolder | undefined {
    if (key.length > 512) return undefined;
    return this.byDigest.get(sha256Hex(key));
  }
}

export interface KeyHolder {
  readonly principal: string;
  /** The key's own bounds (readOnly, toolsets); undefined (the key made at start): every tool the server enables. */
  readonly grant: Grant | undefined;
}
