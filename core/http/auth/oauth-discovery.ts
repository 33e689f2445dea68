/** An issuer that does not answer must not hold every OAuth request for long. */
const METADATA_TIMEOUT_MS = 5000;

/**
 * Where the issuer's metadata may be, in the order MCP clients look (RFC 8414 inserts the
 * well-known path before the issuer's path; OpenID Connect Discovery appends it).
 */
export function metadataUrls(issuer: string): string[] {
  const { origin, pathname } = new URL(issuer);
  const path = pathname.replace(/\/$/, '');
  // Without a path the last two are the same URL.
  return [...new Set([`/.well-known/oauth-authorization-server${path}`, `/.well-known/openid-configuration${path}`, `${path}/.well-known/openid-configuration`])].map((p) => `${origin}${p}`);
}

/**
 * The issuer's `jwks_uri`, from the first metadata document found. A document that names another
 * issuer is not used (RFC 8414 §3.3): it would let one server's keys stand for another's.
 */
export async function discoverJwksUrl(issuer: string): Promise<string> {
  const problems: string[] = [];
  for (const url of metadataUrls(issuer)) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(METADATA_TIMEOUT_MS) });
      if (!res.ok) {
        problems.push(`${url}: HTTP ${res.status}`);
        continue;
      }
      const meta = (await res.json()) as { jwks_uri?: unknown; issuer?: unknown };
      if (meta.issuer !== issuer) problems.push(`${url}: names another issuer`);
      else if (typeof meta.jwks_uri !== 'string') problems.push(`${url}: no jwks_uri`);
      else return meta.jwks_uri;
    } catch (err) {
      problems.push(`${url}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no usable metadata for the issuer (${problems.join('; ')})`);
}
