import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import type { HttpConfig } from '../../config/http-schema.js';

type OAuthConfig = NonNullable<HttpConfig['auth']['oauth']>;

export type TokenVerdict = { ok: true; principal: string; scopes: string[] } | { ok: false; error: 'invalid_token' | 'insufficient_scope'; description: string };

/** Algorithms a resource server may accept: asymmetric only (a shared-secret HS256 token proves nothing about the issuer). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * This server as an OAuth 2.1 resource server (MCP authorization): a bearer JWT is accepted
 * when its signature checks against the issuer's JWKS and its issuer, audience (this server)
 * and expiry are right. The principal is a claim (`sub` by default), namespaced `oauth:`.
 */
export class OAuthVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly config: OAuthConfig,
    /** This server's MCP URL: the audience by default, and the `resource` of the metadata. */
    readonly resource: string,
  ) {}

  get audience(): string {
    return this.config.audience ?? this.resource;
  }

  /** RFC 9728 protected-resource metadata. */
  metadata(): Record<string, unknown> {
    return {
      resource: this.resource,
      authorization_servers: [this.config.issuer],
      bearer_methods_supported: ['header'],
      ...(this.config.requiredScopes.length && { scopes_supported: this.config.requiredScopes }),
      resource_name: 'taiga-mcp',
    };
  }

  async verify(token: string): Promise<TokenVerdict> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.config.issuer,
        audience: this.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp', this.config.principalClaim],
      }));
    } catch (err) {
      return { ok: false, error: 'invalid_token', description: describe(err) };
    }
    const subject = payload[this.config.principalClaim];
    if (typeof subject !== 'string' || subject === '' || subject.length > 200) return { ok: false, error: 'invalid_token', description: `the ${this.config.principalClaim} claim is not a usable name` };
    const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter(Boolean) : [];
    const missing = this.config.requiredScopes.filter((s) => !scopes.includes(s));
    if (missing.length) return { ok: false, error: 'insufficient_scope', description: `missing scope ${missing.join(' ')}` };
    return { ok: true, principal: `oauth:${subject}`, scopes };
  }

  /** The JWKS, found from the issuer's metadata unless configured; fetched when first needed, cached and refreshed by jose. */
  private keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const found = (async () => createRemoteJWKSet(new URL(this.config.jwksUrl ?? (await discoverJwksUrl(this.config.issuer)))))();
      // A failed discovery is tried again at the next request, not remembered forever.
      found.catch(() => this.keys === found && (this.keys = undefined));
      this.keys = found;
    }
    return this.keys;
  }
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const base = issuer.replace(/\/+$/, '');
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    try {
      const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
      if (!res.ok) continue;
      const meta = (await res.json()) as { jwks_uri?: unknown; issuer?: unknown };
      if (typeof meta.jwks_uri === 'string') return meta.jwks_uri;
    } catch {
      // try the next well-known document
    }
  }
  throw new Error(`no jwks_uri in the metadata of ${issuer}`);
}

/** Why a token failed, in words safe to send back (never the token or its claims). */
function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `the ${err.claim} claim is not accepted`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the issuer matches the token';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the signing algorithm is not accepted';
  if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid) return 'the token is malformed';
  return 'the token could not be verified';
}
