import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { ASYMMETRIC_ALGORITHMS, startIssuer, type Issuer } from '../helpers/oauth-issuer.js';
import { messageOf, modernHttpClient, rawRequest, rpc, startHttpMcp, type HttpMcp, type RawAnswer } from '../helpers/http-server.js';

// Who is calling over HTTP: API keys stored as hashes, OAuth resource-server JWTs, and sessions
// bound to the principal that opened them.
let emulator: Emulator;
let server: HttpMcp;
let issuer: Issuer;
const alice = newApiKey();
const bob = newApiKey();
const AUDIENCE = 'https://taiga-mcp.test/mcp';
const METADATA = 'https://mcp.taiga-mcp.test/.well-known/oauth-protected-resource/mcp';

before(async () => {
  emulator = await startEmulator();
  // Its metadata only where OpenID Connect puts it: the RFC 8414 place is asked first, and answers 404.
  issuer = await startIssuer({ documents: ['oidc'] });
  server = await startHttpMcp({
    emulator,
    credentials: false,
    http: {
      publicUrl: 'https://mcp.taiga-mcp.test',
      // Every way a credential can be wrong is tried from this one address: the limit of failed attempts (http-auth-failures.test.ts) is not what this file tests.
      authFailures: { max: 1000 },
      auth: {
        apiKeys: [
          { sha256: alice.sha256, principal: 'alice' },
          { sha256: bob.sha256, principal: 'bob' },
        ],
        oauth: { issuer: issuer.url, audience: AUDIENCE },
      },
    },
  });
});
after(async () => {
  await server?.stop();
  await issuer?.close();
  await emulator?.close();
});

const call = (token: string | undefined, name: string, args: Record<string, unknown>, id: number | string = 1) =>
  rawRequest(server.mcpUrl, { headers: token ? { authorization: `Bearer ${token}` } : {}, body: rpc('tools/call', { name, arguments: args }, id) });
const withAuthorization = (authorization: string) => rawRequest(server.mcpUrl, { headers: { authorization }, body: rpc('tools/call', { name: 'session_status', arguments: {} }) });
const toolError = (answer: Awaited<ReturnType<typeof call>>) => {
  const result = messageOf(answer).result as { isError?: boolean; content: Array<{ text: string }> };
  assert.equal(result.isError, true, answer.body.slice(0, 300));
  return (JSON.parse(result.content[0]!.text) as { error: { code: string; message: string } }).error;
};
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'carol', aud: AUDIENCE, iss: issuer.url, ...extra });
const now = () => Math.floor(Date.now() / 1000);

/** A 401 as RFC 6750 and RFC 9728 want it: the error in the body and in the challenge, which names the metadata. */
function assertRefused(answer: RawAnswer, description: string, why = description): void {
  assert.equal(answer.status, 401, `${why}: ${answer.body}`);
  assert.deepEqual(JSON.parse(answer.body), { error: 'invalid_token', error_description: description }, why);
  assert.equal(answer.headers['www-authenticate'], `Bearer realm="taiga-mcp", resource_metadata="${METADATA}", error="invalid_token", error_description="${description}"`, why);
}

test('an API key acts as its principal; the config holds only its hash, and no key made at start', async () => {
  assert.equal(server.localKey, undefined);
  const client = await modernHttpClient(server.mcpUrl, alice.key);
  try {
    assert.ok((await client.listTools()).tools.length > 30);
  } finally {
    await client.close();
  }
  assert.ok(!server.stderr().includes(alice.key));
});

test('a login session is bound to the principal that made it: another principal gets exactly the unknown-id answer', async () => {
  const login = messageOf(await call(alice.key, 'login', { username: 'user1', password: '123123' }));
  const sessionId = (login.result as { structuredContent: { session_id: string } }).structuredContent.session_id;
  const mine = messageOf(await call(alice.key, 'list_projects', { session_id: sessionId }));
  assert.ok(!(mine.result as { isError?: boolean }).isError);
  const stolen = toolError(await call(bob.key, 'list_projects', { session_id: sessionId }));
  const unknown = toolError(await call(bob.key, 'list_projects', { session_id: '6f1c1f36-1e6b-4f0e-9d3c-2a1b3c4d5e6f' }));
  assert.equal(stolen.code, 'SESSION_INVALID');
  assert.deepEqual({ ...stolen, request_id: undefined }, { ...unknown, request_id: undefined });
  const status = toolError(await call(bob.key, 'logout', { session_id: sessionId }));
  assert.equal(status.code, 'SESSION_INVALID');
  // alice's session survived bob's attempts.
  assert.ok(!(messageOf(await call(alice.key, 'session_status', { session_id: sessionId })).result as { isError?: boolean }).isError);
});

test('a principal without an account and no session is told to log in, not to edit a desktop config', async () => {
  const error = toolError(await call(bob.key, 'list_projects', {}));
  assert.equal(error.code, 'AUTH_REQUIRED');
});

test('no credential, or an Authorization that is not exactly "Bearer <token>", is a 401 whose challenge carries no error code', async () => {
  const bare = `Bearer realm="taiga-mcp", resource_metadata="${METADATA}"`;
  const none = await rawRequest(server.mcpUrl, { body: rpc('ping') });
  assert.equal(none.status, 401);
  assert.deepEqual(JSON.parse(none.body), { error: 'unauthorized', error_description: 'no bearer token' });
  assert.equal(none.headers['www-authenticate'], bare);
  for (const authorization of [`Basic ${alice.key}`, `NotBearer ${alice.key}`, `Bearer ${alice.key} ${alice.key}`, 'Bearer']) {
    const answer = await withAuthorization(authorization);
    assert.equal(answer.status, 401, authorization);
    assert.deepEqual(JSON.parse(answer.body), { error: 'unauthorized', error_description: 'the Authorization header is not "Bearer <token>"' }, authorization);
    assert.equal(answer.headers['www-authenticate'], bare, authorization);
  }
  // The scheme is case-insensitive and may be followed by several spaces (RFC 6750 allows 1*SP).
  assert.equal((await withAuthorization(`bearer   ${alice.key}`)).status, 200);
});

test('a token that only has dots in it is an API key, not a JWT: it is looked up, and unknown', async () => {
  for (const token of ['=a.b.c', 'a.b.c=', 'a.b', `${alice.key}.x`]) assertRefused(await withAuthorization(`Bearer ${token}`), 'the key is not known', token);
});

test('a valid JWT from the issuer acts as oauth:<sub>; the bearer token never reaches Taiga', async () => {
  const token = await issuer.sign(claims());
  const answer = await call(token, 'session_status', {});
  assert.equal(answer.status, 200, answer.body);
  const login = messageOf(await call(token, 'login', { username: 'user2', password: '123123' }));
  assert.ok(!(login.result as { isError?: boolean }).isError, JSON.stringify(login).slice(0, 300));
  assert.match(server.stderr(), /"principal":"oauth:carol"/);
  const sent = JSON.stringify(emulator.requests);
  for (const secret of [token, alice.key, bob.key]) assert.ok(!sent.includes(secret), 'a token presented to this server went to Taiga');
});

test('every asymmetric signing algorithm is accepted; a shared-secret or unsigned token is not', async () => {
  for (const alg of ASYMMETRIC_ALGORITHMS) {
    const answer = await call(await issuer.sign(claims({ sub: `alg-${alg}` }), { alg }), 'session_status', {});
    assert.equal(answer.status, 200, `${alg}: ${answer.body}`);
    assert.match(server.stderr(), new RegExp(`"principal":"oauth:alg-${alg}"`));
  }
  assertRefused(await call(await issuer.sign(claims(), { alg: 'HS256' }), 'session_status', {}), 'the signing algorithm is not accepted', 'HS256');
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims({ exp: now() + 300 }))).toString('base64url')}.x`;
  assertRefused(await call(unsigned, 'session_status', {}), 'the signing algorithm is not accepted', 'alg none');
});

test('each way a JWT can be wrong is a 401 that says which, in the body and in the challenge', async () => {
  const foreign = await issuer.foreignKey();
  const cases: Array<[string, Promise<string> | string]> = [
    ['the token has expired', issuer.sign(claims({ exp: now() - 3600 }))],
    ['the aud claim is not accepted', issuer.sign(claims({ aud: 'https://elsewhere.test/mcp' }))],
    ['the iss claim is not accepted', issuer.sign(claims({ iss: 'https://evil.test' }))],
    ['the exp claim is missing', issuer.sign(claims(), { noExp: true })],
    ['the nbf claim is not accepted', issuer.sign(claims({ nbf: now() + 3600 }))],
    ['the signature does not verify', issuer.sign(claims(), { key: foreign, kid: 'p256' })],
    ['no key of the issuer matches the token', issuer.sign(claims(), { key: foreign, kid: 'retired-key' })],
    ['the token is malformed', `${Buffer.from('not json').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`],
    ['the token is malformed', issuer.signRaw('not a claims set')],
    ['the sub claim is not a usable name', issuer.sign(claims({ sub: undefined }))],
    ['the sub claim is not a usable name', issuer.sign(claims({ sub: '' }))],
    ['the sub claim is not a usable name', issuer.sign(claims({ sub: 42 }))],
    ['the sub claim is not a usable name', issuer.sign(claims({ sub: 'x'.repeat(201) }))],
  ];
  for (const [description, token] of cases) assertRefused(await call(await token, 'session_status', {}), description);
  const longest = await call(await issuer.sign(claims({ sub: 'y'.repeat(200) })), 'session_status', {});
  assert.equal(longest.status, 200, 'a 200-character name is usable');
});

test('a token issued in the future is refused beyond the clock tolerance (30 s by default), accepted within it', async () => {
  assertRefused(await call(await issuer.sign(claims({ iat: now() + 600, exp: now() + 900 })), 'session_status', {}), 'the token is issued in the future (iat)');
  const slightlyAhead = await call(await issuer.sign(claims({ iat: now() + 10 })), 'session_status', {});
  assert.equal(slightlyAhead.status, 200, slightlyAhead.body);
});

test('an ID token is not an access token, even when its audience is this server', async () => {
  for (const claim of ['nonce', 'at_hash', 'c_hash']) {
    assertRefused(await call(await issuer.sign(claims({ [claim]: 'x7fq2' }), { typ: 'JWT' }), 'session_status', {}), `the token is an ID token (it has ${claim}), not an access token`);
  }
});

test('the issuer is found through its metadata, where RFC 8414 puts it first, and asked once', async () => {
  assert.equal(issuer.hits.get('/.well-known/oauth-authorization-server'), 1, 'RFC 8414 first');
  assert.equal(issuer.hits.get('/.well-known/openid-configuration'), 1, 'then OpenID Connect Discovery');
  const jwks = issuer.hits.get('/jwks');
  for (let i = 0; i < 3; i++) assert.equal((await call(await issuer.sign(claims()), 'session_status', {})).status, 200);
  assert.equal(issuer.hits.get('/.well-known/openid-configuration'), 1, 'the metadata is not asked again');
  assert.equal(issuer.hits.get('/jwks'), jwks, 'nor the keys');
});

test('RFC 9728 metadata names this resource and its authorization server', async () => {
  for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
    const answer = await rawRequest(`${server.origin}${path}`, { method: 'GET' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['cache-control'], 'max-age=3600');
    assert.deepEqual(JSON.parse(answer.body), { resource: 'https://mcp.taiga-mcp.test/mcp', authorization_servers: [issuer.url], bearer_methods_supported: ['header'], resource_name: 'taiga-mcp' });
  }
});

test('the publicUrl host is accepted in Host beside the loopback names; another is not', async () => {
  const ping = (host: string) => rawRequest(server.mcpUrl, { headers: { host, authorization: `Bearer ${alice.key}` }, body: rpc('ping') });
  assert.equal((await ping('mcp.taiga-mcp.test')).status, 200);
  assert.equal((await ping('MCP.taiga-mcp.test:443')).status, 200);
  assert.equal((await ping('taiga-mcp.test')).status, 403);
});
