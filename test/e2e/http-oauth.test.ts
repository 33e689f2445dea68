import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startIssuer, type Issuer } from '../helpers/oauth-issuer.js';
import { rawRequest, rpc, startHttpMcp, type HttpMcp, type RawAnswer } from '../helpers/http-server.js';

// OAuth with everything configured: an issuer with a path (found the way OpenID Connect says),
// required scopes, the RFC 9068 token type, another principal claim, no clock tolerance, and
// the default audience (this server's URL).
let emulator: Emulator;
let server: HttpMcp;
let issuer: Issuer;
const AUDIENCE = 'https://mcp.example.test/mcp';
const METADATA = 'https://mcp.example.test/.well-known/oauth-protected-resource/mcp';
const SCOPES = 'taiga:read taiga:write';

before(async () => {
  emulator = await startEmulator();
  issuer = await startIssuer({ path: '/tenants/taiga/', documents: ['oidc'] });
  server = await startHttpMcp({
    emulator,
    credentials: false,
    http: {
      publicUrl: 'https://mcp.example.test/',
      auth: { oauth: { issuer: issuer.url, requiredScopes: ['taiga:read', 'taiga:write'], requireTokenType: 'application/at+jwt', principalClaim: 'email', clockToleranceSeconds: 0 } },
    },
  });
});
after(async () => {
  await server?.stop();
  await issuer?.close();
  await emulator?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'u-17', email: 'erin@example.com', aud: AUDIENCE, iss: issuer.url, scope: SCOPES, ...extra });
const accessToken = (extra: Record<string, unknown> = {}, typ = 'at+jwt') => issuer.sign(claims(extra), { typ });
const present = async (token: string | Promise<string>) => rawRequest(server.mcpUrl, { headers: { authorization: `Bearer ${await token}` }, body: rpc('tools/call', { name: 'session_status', arguments: {} }) });

function assertRefused(answer: RawAnswer, description: string): void {
  assert.equal(answer.status, 401, `${description}: ${answer.body}`);
  assert.deepEqual(JSON.parse(answer.body), { error: 'invalid_token', error_description: description });
  assert.equal(answer.headers['www-authenticate'], `Bearer realm="taiga-mcp", resource_metadata="${METADATA}", error="invalid_token", error_description="${description}"`);
}

test('the issuer\'s keys are found from metadata that names it; a failed, foreign or silent answer is tried again at the next request', { timeout: 60_000 }, async () => {
  // Issuer http://…/tenants/taiga/: RFC 8414 inserts the well-known path before the issuer's path (and drops the last /), OIDC appends it.
  const [rfc8414, oidcInserted, oidc] = ['/.well-known/oauth-authorization-server/tenants/taiga', '/.well-known/openid-configuration/tenants/taiga', '/tenants/taiga/.well-known/openid-configuration'];
  const at = (path: string) => new URL(path, issuer.url).href;
  const problems = (last: string) => `no usable metadata for the issuer (${at(rfc8414)}: HTTP 404; ${at(oidcInserted)}: HTTP 404; ${at(oidc)}: ${last})`;
  const logged = () => server.stderr().split('\n').filter((l) => l.includes('"OAuth: cannot find the JWKS of the issuer"')).map((l) => (JSON.parse(l) as { err: string }).err);
  const failures: Array<[Partial<Issuer['knobs']>, string]> = [
    [{ metadataIssuer: 'https://another-issuer.test' }, 'names another issuer'],
    [{ metadataStatus: 503 }, 'HTTP 503'],
    [{ metadataJwks: false }, 'no jwks_uri'],
    [{ metadataHangs: true }, 'The operation was aborted due to timeout'],
  ];
  for (const [knobs, last] of failures) {
    Object.assign(issuer.knobs, knobs);
    assertRefused(await present(accessToken()), 'the token could not be verified');
    Object.assign(issuer.knobs, { metadataStatus: 200, metadataIssuer: undefined, metadataJwks: true, metadataHangs: false });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(logged().at(-1), problems(last));
  }
  const answer = await present(accessToken());
  assert.equal(answer.status, 200, answer.body);
  for (const path of [rfc8414, oidcInserted, oidc]) assert.equal(issuer.hits.get(path), failures.length + 1, path);
});

test('an access token of the required type, with the scopes, acts as oauth:<the configured claim>', async () => {
  for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt']) {
    const answer = await present(accessToken({ email: `${typ}@example.com` }, typ));
    assert.equal(answer.status, 200, `${typ}: ${answer.body}`);
    assert.match(server.stderr(), new RegExp(`"principal":"oauth:${typ.replace(/\+/g, '\\+')}@example.com"`));
  }
  assertRefused(await present(accessToken({ email: undefined })), 'the email claim is not a usable name');
});

test('requireTokenType: a token without that JOSE typ (an ID token says JWT, or nothing) is refused', async () => {
  for (const typ of ['JWT', 'jwt', '']) assertRefused(await present(accessToken({}, typ)), 'the token type (JOSE typ header) is not accepted');
});

test('missing scopes are a 403 insufficient_scope whose challenge names the scopes to ask for', async () => {
  for (const [scope, missing] of [['taiga:read', 'taiga:write'], [undefined, SCOPES], [['taiga:read', 'taiga:write'], SCOPES], ['taiga:readx taiga:write', 'taiga:read']] as const) {
    const answer = await present(accessToken({ scope }));
    assert.equal(answer.status, 403, answer.body);
    assert.deepEqual(JSON.parse(answer.body), { error: 'insufficient_scope', error_description: `missing scope ${missing}` });
    assert.equal(answer.headers['www-authenticate'], `Bearer realm="taiga-mcp", resource_metadata="${METADATA}", error="insufficient_scope", error_description="missing scope ${missing}", scope="${SCOPES}"`);
  }
  assert.equal((await present(accessToken({ scope: `openid ${SCOPES} profile` }))).status, 200);
  // The same on /metrics of the public listener.
  const metrics = await rawRequest(`${server.origin}/metrics`, { method: 'GET', headers: { authorization: `Bearer ${await accessToken({ scope: 'taiga:read' })}` } });
  assert.equal(metrics.status, 403);
  assert.match(String(metrics.headers['www-authenticate']), /error="insufficient_scope"/);
});

test('the audience is this server\'s URL by default; with no clock tolerance a token even a little ahead is refused', async () => {
  assertRefused(await present(accessToken({ aud: 'https://mcp.example.test' })), 'the aud claim is not accepted');
  assertRefused(await present(accessToken({ iat: now() + 20 })), 'the token is issued in the future (iat)');
});

test('RFC 9728 metadata lists the scopes a client must ask for', async () => {
  const answer = await rawRequest(`${server.origin}/.well-known/oauth-protected-resource/mcp`, { method: 'GET' });
  assert.deepEqual(JSON.parse(answer.body), { resource: AUDIENCE, authorization_servers: [issuer.url], bearer_methods_supported: ['header'], scopes_supported: ['taiga:read', 'taiga:write'], resource_name: 'taiga-mcp' });
});
