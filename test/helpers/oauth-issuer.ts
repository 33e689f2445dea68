import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** The signing algorithms a resource server may accept, each with the key the issuer signs it with. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
type Alg = (typeof ASYMMETRIC_ALGORITHMS)[number];

export interface SignOptions {
  alg?: Alg | 'HS256';
  /** The `kid` header; by default the issuer's key for the algorithm. */
  kid?: string;
  /** The JOSE `typ` header. */
  typ?: string;
  /** Sign with a private JWK the issuer does not publish (a forged token). */
  key?: JWK;
  /** Leave `exp` out (by default it is 5 minutes from now). */
  noExp?: boolean;
}

export interface Issuer {
  /** The issuer identifier (`iss`), with its path if it has one. */
  url: string;
  /** How many times each path was asked for. */
  hits: Map<string, number>;
  /** What the metadata documents answer: the status, the issuer they name, whether they name the JWKS, or no answer at all. */
  knobs: { metadataStatus: number; metadataIssuer: string | undefined; metadataJwks: boolean; metadataHangs: boolean };
  sign(claims: Record<string, unknown>, opts?: SignOptions): Promise<string>;
  /** A JWS over a payload that is not a claims set, properly signed (ES256). */
  signRaw(payload: string): Promise<string>;
  /** A private key of the same kind that is not in the JWKS. */
  foreignKey(): Promise<JWK>;
  close(): Promise<void>;
}

export interface IssuerOptions {
  /** A path after the origin (`/tenants/a`): the metadata is then found the RFC 8414 or the OIDC way. */
  path?: string;
  /** Which metadata documents it serves: `rfc8414` (`/.well-known/oauth-authorization-server[path]`) and/or `oidc` (`[path]/.well-known/openid-configuration`). */
  documents?: Array<'rfc8414' | 'oidc'>;
}

const KEY_OF: Record<Alg, string> = { RS256: 'rsa', RS384: 'rsa', RS512: 'rsa', PS256: 'rsa', PS384: 'rsa', PS512: 'rsa', ES256: 'p256', ES384: 'p384', ES512: 'p521', EdDSA: 'ed25519' };
const GENERATE: Record<string, [string, { crv?: string }?]> = { rsa: ['RS256'], p256: ['ES256'], p384: ['ES384'], p521: ['ES512'], ed25519: ['EdDSA', { crv: 'Ed25519' }] };

async function privateJwk(kind: string): Promise<JWK> {
  const [alg, opts] = GENERATE[kind]!;
  const { privateKey } = await generateKeyPair(alg, { ...opts, extractable: true });
  return exportJWK(privateKey);
}

const publicPart = ({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }: JWK): JWK => pub;

/** An authorization server as a resource server sees one: metadata and a JWKS, on loopback. */
export async function startIssuer(opts: IssuerOptions = {}): Promise<Issuer> {
  const path = opts.path ?? '';
  const base = path.replace(/\/+$/, '');
  const documents = opts.documents ?? ['rfc8414'];
  const privates = Object.fromEntries(await Promise.all(Object.keys(GENERATE).map(async (kind) => [kind, await privateJwk(kind)] as const)));
  // The RSA key carries no `alg`: one key serves RS* and PS*, as issuers publish them.
  const jwks = { keys: Object.entries(privates).map(([kind, jwk]) => ({ ...publicPart(jwk), kid: kind, use: 'sig' })) };
  const hits = new Map<string, number>();
  const knobs: Issuer['knobs'] = { metadataStatus: 200, metadataIssuer: undefined, metadataJwks: true, metadataHangs: false };
  let url = '';
  let origin = '';
  const served = new Set([...(documents.includes('rfc8414') ? [`/.well-known/oauth-authorization-server${base}`] : []), ...(documents.includes('oidc') ? [`${base}/.well-known/openid-configuration`] : [])]);
  const http = createServer((req, res) => {
    const at = req.url ?? '';
    hits.set(at, (hits.get(at) ?? 0) + 1);
    const send = (status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (served.has(at) && knobs.metadataHangs) return;
    if (served.has(at)) return send(knobs.metadataStatus, knobs.metadataStatus === 200 ? { issuer: knobs.metadataIssuer ?? url, ...(knobs.metadataJwks && { jwks_uri: `${origin}${base}/jwks` }) } : {});
    if (at === `${base}/jwks`) return send(200, jwks);
    send(404, {});
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  url = `${origin}${path}`;
  return {
    url,
    hits,
    knobs,
    async sign(claims, o = {}) {
      const alg = o.alg ?? 'ES256';
      const kind = alg === 'HS256' ? undefined : KEY_OF[alg];
      const key = alg === 'HS256' ? new TextEncoder().encode('a shared secret of thirty-two bytes!') : await importJWK(o.key ?? privates[kind!]!, alg);
      const jwt = new SignJWT(claims).setProtectedHeader({ alg, kid: o.kid ?? kind ?? 'hs', ...(o.typ && { typ: o.typ }) });
      if (claims['iat'] === undefined) jwt.setIssuedAt();
      if (claims['exp'] === undefined && !o.noExp) jwt.setExpirationTime('5m');
      return jwt.sign(key);
    },
    async signRaw(payload) {
      return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'ES256', kid: 'p256' }).sign(await importJWK(privates['p256']!, 'ES256'));
    },
    foreignKey: () => privateJwk('p256'),
    close: () => new Promise((r) => {
      http.close(() => r());
      http.closeAllConnections();
    }),
  };
}
