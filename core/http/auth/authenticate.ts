import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { HttpConfig } from '../../config/http-schema.js';
import type { ApiKeys } from './api-keys.js';
import type { OAuthVerifier } from './oauth.js';
import { certificatePrincipal } from './mtls.js';
import type { Grant } from '../../access/grant.js';

export type AuthOutcome =
  /** `grant`: what the credential allows of the enabled tools (undefined: all of them). */
  | { ok: true; principal: string; grant?: Grant | undefined }
  | { ok: false; status: 401 | 403; challenge: string; error: string; description: string };

export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<AuthOutcome>;
  /** Where the RFC 9728 metadata is served (OAuth only), for the 401 challenge. */
  readonly metadataUrl: string | undefined;
  /** The RFC 6750 challenge of a token that lacks `scope` for what it asked (the 403 of a tool call: MCP step-up authorization). */
  insufficientScope(scope: string, description: string): string;
}

const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * Who is calling, from the first credential that proves it: a verified client certificate
 * (mTLS), else the bearer token as an OAuth JWT (when it looks like one and OAuth is set up) or
 * as an API key. A token is only ever compared here; nothing of it goes further (never to Taiga).
 * Descriptions are this file's and oauth.ts's own words (a claim name at most, which the config
 * schema keeps to header-safe characters), so they go into the challenge as they are.
 */
export function createAuthenticator(opts: { keys: ApiKeys; oauth?: OAuthVerifier; mtls?: HttpConfig['auth']['mtls']; metadataUrl?: string }): Authenticator {
  const { keys, oauth, mtls, metadataUrl } = opts;
  const challenge = (attributes: Record<string, string> = {}): string =>
    ['Bearer realm="taiga-mcp"', ...(metadataUrl ? [`resource_metadata="${metadataUrl}"`] : []), ...Object.entries(attributes).map(([k, v]) => `${k}="${v}"`)].join(', ');
  // RFC 6750 §3.1: a request that sent no credential gets a challenge without an error code.
  const missing = (description: string): AuthOutcome => ({ ok: false, status: 401, error: 'missing', description, challenge: challenge() });
  const refuse = (verdict: { error: string; description: string; scope?: string }): AuthOutcome => ({
    ok: false,
    status: verdict.error === 'insufficient_scope' ? 403 : 401,
    error: verdict.error,
    description: verdict.description,
    challenge: challenge({ error: verdict.error, error_description: verdict.description, ...(verdict.scope && { scope: verdict.scope }) }),
  });

  return {
    metadataUrl,
    insufficientScope: (scope, description) => challenge({ error: 'insufficient_scope', error_description: description, scope }),
    async authenticate(req) {
      if (mtls) {
        const principal = certificatePrincipal(req.socket as TLSSocket, mtls.principalFrom);
        if (principal) return { ok: true, principal };
      }
      const header = req.headers.authorization;
      // Node trims the value and keeps the first of several Authorization headers.
      const token = /^Bearer +(\S+)$/i.exec(String(header))?.[1];
      if (token === undefined) {
        if (header !== undefined) return missing('the Authorization header is not "Bearer <token>"');
        return missing(mtls ? 'no trusted client certificate and no bearer token' : 'no bearer token');
      }
      if (oauth && looksLikeJwt(token)) {
        const verdict = await oauth.verify(token);
        return verdict.ok ? { ok: true, principal: verdict.principal, grant: verdict.grant } : refuse(verdict);
      }
      const holder = keys.holderOf(token);
      if (holder) return { ok: true, principal: holder.principal, grant: holder.grant };
      return refuse({ error: 'invalid_token', description: 'the key is not known' });
    },
  };
}
