import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { TaigaMcpError } from '../errors.js';

/** v2: the associated data binds the session's whole record (redis-record.ts); a v1 blob never opens. */
const VERSION = 'v2';

/**
 * Seals the Taiga tokens kept in a shared store with AES-256-GCM, so that a dump of the store
 * holds no usable token. The associated data (`context`) binds each ciphertext to what it is used
 * with: a blob copied into another session's slot, or kept beside an altered record, does not open.
 */
export class TokenCipher {
  private readonly sealKey: Buffer;
  private readonly digestKey: Buffer;

  /**
   * `key`: 32 bytes in base64 (store.encryptionKey or TAIGA_MCP_STORE_KEY). `purpose` separates the
   * keys derived for each use of the one configured key (the Taiga tokens, confirmation states).
   */
  constructor(key: string, purpose = 'taiga-mcp token') {
    const raw = Buffer.from(key, 'base64');
    if (raw.length !== 32 || raw.toString('base64') !== key) {
      throw new TaigaMcpError('CONFIG_INVALID', { message: 'invalid configuration: store.encryptionKey (TAIGA_MCP_STORE_KEY): expected 32 bytes in base64' });
    }
    // Separate keys for sealing and for digests, so that neither use weakens the other.
    this.sealKey = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), `${purpose} seal`, 32));
    this.digestKey = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), `${purpose} digest`, 32));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(context));
    // Stryker disable next-line StringLiteral: utf8 is also what Node takes for a string without an encoding
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The plaintext, or undefined when the blob was sealed with another key, for another context, or altered. */
  open(sealed: string, context: string): string | undefined {
    const [version, data] = sealed.split('.');
    if (version !== VERSION || !data) return undefined;
    const raw = Buffer.from(data, 'base64url');
    if (raw.length < 28) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      // another key, another context, or altered: the tag does not match
    }
    return undefined;
  }

  /** A keyed digest: lets the store compare a refresh token without holding it. */
  digest(value: string): string {
    return createHmac('sha256', this.digestKey).update(value).digest('base64url');
  }
}
