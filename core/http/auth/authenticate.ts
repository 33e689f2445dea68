import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { HttpConfig } from '../../config/http-schema.js';
import type { ApiKeys } from './api-keys.js';
import type { OAuthVerifier } from './oauth.js';
import { certificatePrincipal } from './mtls.js';

export type AuthMethod = 'api-key' | 'oauth' | 'mtls';

export type AuthOutcome =
  | { ok: true; principal: string; method: AuthMethod }
  | { ok: false; status: 401 | 403; challenge: string; error: string; description: string };

export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<AuthOutcome>;
  /** Where the RFC 9728 metadata is served (OAuth only), for the 401 challenge. */
  readonly metadataUrl: string | undefined;
}

const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * Who is calling, from the first credential that proves it: a verified client certificate
 * (mTLS), else the bearer token as an OAuth JWT (when it looks like one and OAuth is set up) or
 * as an API key. A token is only ever compared here; nothing of it goes further (never to Taiga).
 */
export function createAuthenticator(opts: { keys: ApiKeys; oauth?: OAuthVerifier; mtls?: HttpConfig['auth']['mtls']; metadataUrl?: string }): Authenticator {
  const { keys, oauth, mtls, metadataUrl } = opts;
  const challenge = (error?: string, description?: string): string =>
    [
      'Bearer realm="taiga-mcp"',
      ...(metadataUrl ? [`resource_metadata="${metadataUrl}"`] : []),
      ...(error ? [`error="${error}"`] : []),
      ...(description ? [`error_description="${description.replace(/["\\]/g, '')}"`] : []),
    ].join(', ');
  const refuse = (error: string, description: string, status: 401 | 403 = 401): AuthOutcome => ({ ok: false, status, error, description, challenge: challenge(error === 'missing' ? undefined : error, error === 'missing' ? undefined : description) });

  return {
    metadataUrl,
    async authenticate(req) {
      if (mtls) {
        const principal = certificatePrincipal(req.socket as TLSSocket, mtls.principalFrom);
        if (principal) return { ok: true, principal, method: 'mtls' };
      }
      const header = req.headers.authorization;
      const token = typeof header === 'string' ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(header)?.[1] : undefined;
      if (token === undefined) {
        return refuse('missing', header === undefined ? (mtls ? 'no trusted client certificate and no bearer token' : 'no bearer token') : 'the Authorization header is not "Bearer <token>"');
      }
      if (oauth && looksLikeJwt(token)) {
        const verdict = await oauth.verify(token);
        if (verdict.ok) return { ok: true, principal: verdict.principal, method: 'oauth' };
        return refuse(verdict.error, verdict.description, verdict.error === 'insufficient_scope' ? 403 : 401);
      }
      const principal = keys.principalOf(token);
      if (principal) return { ok: true, principal, method: 'api-key' };
      return refuse('invalid_token', 'the key is not known');
    },
  };
}
