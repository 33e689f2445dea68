import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { messageOf, modernHttpClient, rawRequest, rpc, startHttpMcp, type HttpMcp } from '../helpers/http-server.js';

// Who is calling over HTTP: API keys stored as hashes, OAuth resource-server JWTs, and sessions
// bound to the principal that opened them.
let emulator: Emulator;
let server: HttpMcp;
let issuer: { url: string; close(): Promise<void>; sign(claims: Record<string, unknown>, opts?: { key?: CryptoKey; alg?: string }): Promise<string> };
const alice = newApiKey();
const bob = newApiKey();

/** An authorization server as far as a resource server sees one: its metadata and its JWKS, on loopback. */
async function startIssuer(): Promise<typeof issuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  let url = '';
  const http: Server = createServer((req, res) => {
    if (req.url === '/.well-known/oauth-authorization-server') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
    if (req.url === '/jwks') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    close: () => new Promise((r) => http.close(() => r())),
    async sign(claims, opts = {}) {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'ES256', kid: 'k1' }).setIssuedAt();
      if (claims['exp'] === undefined) jwt.setExpirationTime('5m');
      return jwt.sign(opts.key ?? privateKey);
    },
  };
}

before(async () => {
  emulator = await startEmulator();
  issuer = await startIssuer();
  server = await startHttpMcp({
    emulator,
    credentials: false,
    http: {
      publicUrl: 'http://127.0.0.1:1',
      auth: {
        apiKeys: [
          { sha256: alice.sha256, principal: 'alice' },
          { sha256: bob.sha256, principal: 'bob' },
        ],
        oauth: { issuer: issuer.url, audience: 'https://taiga-mcp.test/mcp' },
      },
    },
  });
});
after(async () => {
  await server.stop();
  await issuer.close();
  await emulator.close();
});

const call = (token: string | undefined, name: string, args: Record<string, unknown>, id: number | string = 1) =>
  rawRequest(server.mcpUrl, { headers: token ? { authorization: `Bearer ${token}` } : {}, body: rpc('tools/call', { name, arguments: args }, id) });
const toolError = (answer: Awaited<ReturnType<typeof call>>) => {
  const result = messageOf(answer).result as { isError?: boolean; content: Array<{ text: string }> };
  assert.equal(result.isError, true, answer.body.slice(0, 300));
  return (JSON.parse(result.content[0]!.text) as { error: { code: string; message: string } }).error;
};

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

test('a valid JWT from the issuer acts as oauth:<sub>; the bearer token never reaches Taiga', async () => {
  const token = await issuer.sign({ sub: 'carol', aud: 'https://taiga-mcp.test/mcp', iss: issuer.url });
  const answer = await call(token, 'session_status', {});
  assert.equal(answer.status, 200, answer.body);
  const login = messageOf(await call(token, 'login', { username: 'user2', password: '123123' }));
  assert.ok(!(login.result as { isError?: boolean }).isError, JSON.stringify(login).slice(0, 300));
  assert.match(server.stderr(), /"principal":"oauth:carol"/);
  const sent = JSON.stringify(emulator.requests);
  for (const secret of [token, alice.key, bob.key]) assert.ok(!sent.includes(secret), 'a token presented to this server went to Taiga');
});

test('expired, wrong-audience, wrong-issuer, unsigned and foreign-key JWTs are 401 with a challenge naming the metadata', async () => {
  const base = { sub: 'carol', aud: 'https://taiga-mcp.test/mcp', iss: issuer.url };
  const other = await generateKeyPair('ES256');
  const bad = {
    expired: await issuer.sign({ ...base, exp: Math.floor(Date.now() / 1000) - 3600 }),
    audience: await issuer.sign({ ...base, aud: 'https://elsewhere.test/mcp' }),
    issuer: await issuer.sign({ ...base, iss: 'https://evil.test' }),
    foreignKey: await issuer.sign(base, { key: other.privateKey }),
    unsigned: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(base)).toString('base64url')}.x`,
  };
  for (const [why, token] of Object.entries(bad)) {
    const answer = await call(token, 'session_status', {});
    assert.equal(answer.status, 401, `${why}: ${answer.body}`);
    const challenge = String(answer.headers['www-authenticate']);
    assert.match(challenge, /resource_metadata="http:\/\/127\.0\.0\.1:1\/\.well-known\/oauth-protected-resource\/mcp"/, why);
    assert.match(challenge, /error="invalid_token"/, why);
  }
});

test('RFC 9728 metadata names this resource and its authorization server', async () => {
  for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
    const answer = await rawRequest(`${server.origin}${path}`, { method: 'GET' });
    assert.equal(answer.status, 200);
    const meta = JSON.parse(answer.body) as { resource: string; authorization_servers: string[] };
    assert.equal(meta.resource, 'http://127.0.0.1:1/mcp');
    assert.deepEqual(meta.authorization_servers, [issuer.url]);
  }
});
