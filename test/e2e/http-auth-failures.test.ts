import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { freePort, pings, spawnRedis, testRedisUrl } from '../helpers/redis-server.js';
import { rawRequest, rpc, startHttpMcp, type HttpMcp, type RawAnswer } from '../helpers/http-server.js';

// Failed authentications limited per client address, before the credential is looked at; the
// address is the socket's, or a trusted proxy's X-Forwarded-For; in memory and shared through Redis.
// Clients are told apart by the loopback address they send from (127.0.0.x: all of 127/8 is this machine).
let emulator: Emulator;
let memory: HttpMcp;
let a: HttpMcp;
let b: HttpMcp;
const alice = newApiKey();
const LIMITS = { max: 3, windowSeconds: 60, lockoutSeconds: 120 };
const PROXY = '127.0.0.9';

before(async () => {
  emulator = await startEmulator();
  const http = { auth: { apiKeys: [{ sha256: alice.sha256, principal: 'alice' }] }, authFailures: LIMITS, trustedProxies: [PROXY, '10.0.0.0/8'] };
  // The Redis pair trusts any proxy on this machine (trustProxy): every 127.x socket is one.
  const redis = { emulator, env: { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') }, config: { store: { kind: 'redis', url: await testRedisUrl(), keyPrefix: `t${randomBytes(4).toString('hex')}:` } }, http: { ...http, trustedProxies: [], trustProxy: true } };
  [memory, a, b] = await Promise.all([startHttpMcp({ emulator, http }), startHttpMcp(redis), startHttpMcp(redis)]);
});
after(async () => {
  await Promise.all([memory?.stop(), a?.stop(), b?.stop()]);
  await emulator?.close();
});

const send = (server: HttpMcp, from: string, key: string | undefined, forwardedFor?: string): Promise<RawAnswer> =>
  rawRequest(server.mcpUrl, { localAddress: from, headers: { ...(key && { authorization: `Bearer ${key}` }), ...(forwardedFor && { 'x-forwarded-for': forwardedFor }) }, body: rpc('tools/list') });
const wrong = () => newApiKey().key;

function assertLockedOut(answer: RawAnswer, why: string): void {
  assert.equal(answer.status, 429, `${why}: ${answer.status} ${answer.body}`);
  const seconds = Number(answer.headers['retry-after']);
  assert.ok(seconds > 0 && seconds <= LIMITS.lockoutSeconds, `${why}: Retry-After ${answer.headers['retry-after']}`);
  assert.equal((JSON.parse(answer.body) as { error: string }).error, 'too_many_failed_attempts');
}

test('past the limit of failed attempts an address gets 429 with Retry-After, even with the right key; other addresses do not', async () => {
  for (let i = 0; i < LIMITS.max; i += 1) assert.equal((await send(memory, '127.0.0.2', wrong())).status, 401);
  const over = await send(memory, '127.0.0.2', wrong());
  assertLockedOut(over, 'the attempt over the limit');
  assert.equal(over.headers['retry-after'], String(LIMITS.lockoutSeconds), 'the whole lockout is ahead');
  // Refused before the key is looked at: the right key gets no further, so guessing one gains nothing.
  assertLockedOut(await send(memory, '127.0.0.2', alice.key), 'the right key while locked out');
  assert.equal((await send(memory, '127.0.0.3', alice.key)).status, 200, 'another address');
  assert.equal((await send(memory, '127.0.0.3', wrong())).status, 401, 'another address has its own count');
  // A client that is not a trusted proxy cannot choose its address with the header.
  assert.equal((await send(memory, '127.0.0.2', alice.key, '127.0.0.3')).status, 429);
  assert.equal((await send(memory, '127.0.0.3', alice.key, '127.0.0.2')).status, 200);
});

test('a request without a credential is not a failed attempt (a client finding out how to authenticate)', async () => {
  for (let i = 0; i < LIMITS.max + 3; i += 1) assert.equal((await send(memory, '127.0.0.4', undefined)).status, 401);
  assert.equal((await send(memory, '127.0.0.4', alice.key)).status, 200);
});

test("behind a trusted proxy the client is the right-most X-Forwarded-For hop that is not a trusted proxy", async () => {
  for (let i = 0; i < LIMITS.max; i += 1) assert.equal((await send(memory, PROXY, wrong(), '198.51.100.7')).status, 401);
  assertLockedOut(await send(memory, PROXY, wrong(), '198.51.100.7'), 'the client behind the proxy');
  assert.equal((await send(memory, PROXY, alice.key, '198.51.100.8')).status, 200, 'another client through the same proxy');
  assert.equal((await send(memory, PROXY, alice.key)).status, 200, 'the proxy itself (no header) is not the locked client');
  // What the client wrote itself is left of what the proxy appended: a forged left-most hop changes nothing.
  assertLockedOut(await send(memory, PROXY, alice.key, '198.51.100.8, 198.51.100.7'), 'a forged hop before the real one');
  // A chain of trusted proxies (a CIDR range) is walked through to the client.
  assertLockedOut(await send(memory, PROXY, alice.key, '198.51.100.7, 10.1.2.3'), 'through two proxies');
  // A hop that is not an address ends the walk: what is left of it cannot be believed.
  assert.equal((await send(memory, PROXY, alice.key, '198.51.100.7, garbage')).status, 200);
});

test('with Redis the count and the lockout are shared by every instance (and by the proxies in front of them)', async () => {
  const client = '198.51.100.20';
  assert.equal((await send(a, '127.0.0.5', wrong(), client)).status, 401);
  assert.equal((await send(b, '127.0.0.6', wrong(), client)).status, 401);
  assert.equal((await send(a, '127.0.0.6', wrong(), client)).status, 401);
  assertLockedOut(await send(b, '127.0.0.5', wrong(), client), 'the fourth failure, on the other instance');
  assertLockedOut(await send(a, '127.0.0.7', alice.key, client), 'locked on the first instance too');
  assert.equal((await send(b, '127.0.0.5', alice.key, '198.51.100.21')).status, 200);
});

test('while the store cannot be reached, the instance counts on its own: right keys are served, guesses still locked out', async () => {
  const port = await freePort();
  const redis = spawnRedis(port);
  assert.ok(await pings('127.0.0.1', port, 10_000));
  const server = await startHttpMcp({ emulator, env: { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') }, config: { store: { kind: 'redis', url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 500 } }, http: { auth: { apiKeys: [{ sha256: alice.sha256, principal: 'alice' }] }, authFailures: LIMITS } });
  try {
    assert.equal((await send(server, '127.0.0.7', wrong())).status, 401, 'counted in Redis');
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    assert.equal((await send(server, '127.0.0.7', alice.key)).status, 200, 'a right key, the store down');
    for (let i = 0; i < LIMITS.max; i += 1) assert.equal((await send(server, '127.0.0.7', wrong())).status, 401);
    assertLockedOut(await send(server, '127.0.0.7', wrong()), 'counted in memory while the store is down');
    assertLockedOut(await send(server, '127.0.0.7', alice.key), 'locked out in memory');
    assert.equal((await send(server, '127.0.0.8', alice.key)).status, 200);
  } finally {
    redis.kill('SIGKILL');
    await server.stop();
  }
});
