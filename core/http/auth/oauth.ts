import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { HttpConfig } from '../../config/http-schema.js';
import type { Logger } from '../../logger.js';
import { discoverJwksUrl } from './oauth-discovery.js';
import { scopeGrant, type Grant } from '../../access/grant.js';

type OAuthConfig = NonNullable<HttpConfig['auth']['oauth']>;

export type TokenVerdict =
  /** `grant`: the tools its scopes allow (toolScopes). */
  | { ok: true; principal: string; grant: Grant }
  | { ok: false; error: 'invalid_token'; description: string }
  | { ok: false; error: 'insufficient_scope'; description: string; scope: string };

/** Algorithms a resource server may accept: asymmetric only (a shared-secret HS256 token proves nothing about the issuer). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Claims OpenID Connect defines for ID tokens only. An ID token is for the client that asked for
 * it; one that names this server as its audience must still not open it (it is not an access token).
 */
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash'];

const invalid = (description: string): TokenVerdict => ({ ok: false, error: 'invalid_token', description });

/**
 * This server as an OAuth 2.1 resource server (MCP authorization): a bearer JWT is accepted
 * when its signature checks against the issuer's JWKS, its issuer, audience (this server),
 * expiry and issue time are right, it is an access token (not an ID token; of the configured
 * JOSE `typ` when there is one), and it carries the required scopes. The principal is a claim
 * (`sub` by default), namespaced `oauth:`.
 */
export class OAuthVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly config: OAuthConfig,
    /** This server's MCP URL: the audience by default, and the `resource` of the metadata. */
    readonly resource: string,
    private readonly logger: Logger,
  ) {}

  /** Every scope this server asks for: the required ones and those of toolScopes. */
  get scopesSupported(): string[] {
    const { requiredScopes, toolScopes } = this.config;
    return [...new Set([...requiredScopes, toolScopes.write, toolScopes.destructive, ...Object.values(toolScopes.toolsets)].filter((s): s is string => Boolean(s)))];
  }

  get audience(): string {
    return this.config.audience ?? this.resource;
  }

  /** RFC 9728 protected-resource metadata. */
  metadata(): Record<string, unknown> {
    return {
      resource: this.resource,
      authorization_servers: [this.config.issuer],
      bearer_methods_supported: ['header'],
      ...(this.scopesSupported.length && { scopes_supported: this.scopesSupported }),
      resource_name: 'taiga-mcp',
    };
  }

  async verify(token: string): Promise<TokenVerdict> {
    const { principalClaim, clockToleranceSeconds, requireTokenType } = this.config;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.config.issuer,
        audience: this.audience,
        algorithms: ALGORITHMS,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp'],
        ...(requireTokenType && { typ: requireTokenType }),
      }));
    } catch (err) {
      return invalid(describe(err));
    }
    // jose checks `iat` for the future only when a maximum age is set; a token from the future is forged or from a broken clock.
    if ((payload.iat ?? 0) > Date.now() / 1000 + clockToleranceSeconds) return invalid('the token is issued in the future (iat)');
    const idClaim = ID_TOKEN_CLAIMS.find((claim) => claim in payload);
    if (idClaim) return invalid(`the token is an ID token (it has ${idClaim}), not an access token`);
    const subject = payload[principalClaim];
    if (typeof subject !== 'string' || subject === '' || subject.length > 200) return invalid(`the ${principalClaim} claim is not a usable name`);
    const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
    const missing = this.config.requiredScopes.filter((s) => !scopes.includes(s));
    if (missing.length) return { ok: false, error: 'insufficient_scope', description: `missing scope ${missing.join(' ')}`, scope: this.config.requiredScopes.join(' ') };
    return { ok: true, principal: `oauth:${subject}`, grant: scopeGrant(this.config.toolScopes, scopes, this.config.requiredScopes) };
  }

  /** The JWKS, found from the issuer's metadata unless configured; fetched when first needed, cached and refreshed by jose. */
  private keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const found = (async () => createRemoteJWKSet(new URL(this.config.jwksUrl ?? (await discoverJwksUrl(this.config.issuer)))))();
      // A failed discovery is tried again at the next request, not remembered forever.
      found.catch((err: Error) => {
        this.logger.warn({ issuer: this.config.issuer, err: err.message.slice(0, 1000) }, 'OAuth: cannot find the JWKS of the issuer');
        this.keys = undefined;
      });
      this.keys = found;
    }
    return this.keys;
  }
}

/** Why a token failed, in words safe to send back (never the token or its claims). */
function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return err.claim === 'typ' ? 'the token type (JOSE typ header) is not accepted' : `the ${err.claim} claim is ${err.reason === 'missing' ? 'missing' : 'not accepted'}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the issuer matches the token';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the signing algorithm is not accepted';
  if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid) return 'the token is malformed';
  return 'the token could not be verified';
}
