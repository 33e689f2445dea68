import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { RedisKeys } from '../../core/sessions/redis-keys.js';
import { testRedisUrl } from '../helpers/redis-server.js';
import { messageOf, rawRequest, rpc, startHttpMcp, type HttpMcp } from '../helpers/http-server.js';

// Someone who can write to Redis but has not the store key: whatever they change in a stored
// session, its Taiga token is never sent anywhere, and the session answers a coded error.
let taiga: Emulator;
let other: Emulator;
let redis: ReturnType<typeof createClient>;
let redisUrl: string;
const keyPrefix = `t${randomBytes(4).toString('hex')}:`;
const storeKey = randomBytes(32).toString('base64');
const alice = newApiKey();
const digest = (value: string) => new RedisKeys('').digest(value);

before(async () => {
  [taiga, other] = await Promise.all([startEmulator(), startEmulator()]);
  redisUrl = await testRedisUrl();
  redis = createClient({ url: redisUrl });
  await redis.connect();
});
after(async () => {
  redis.destroy();
  await Promise.all([taiga.close(), other.close()]);
});

/** An instance sharing the Redis and the store key; `allowed`: the other Taigas `login` may use. */
const instance = (allowed: string[]) =>
  startHttpMcp({
    emulator: taiga,
    credentials: false,
    env: { TAIGA_MCP_STORE_KEY: storeKey },
    config: { store: { kind: 'redis', url: redisUrl, keyPrefix }, taiga: { allowedHosts: allowed } },
    http: { auth: { apiKeys: [{ sha256: alice.sha256, principal: 'alice' }] } },
  });

async function tool(server: HttpMcp, name: string, args: Record<string, unknown>): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; code: string }> {
  const result = await call(server, name, args);
  if (!result.isError) return { ok: true, data: result.structuredContent ?? {} };
  return { ok: false, code: errorIn(result).code };
}

async function call(server: HttpMcp, name: string, args: Record<string, unknown>) {
  const answer = await rawRequest(server.mcpUrl, { headers: { authorization: `Bearer ${alice.key}` }, body: rpc('tools/call', { name, arguments: args }) });
  return messageOf(answer).result as { isError?: boolean; structuredContent?: Record<string, unknown>; content: Array<{ text: string }> };
}

const errorIn = (result: { content: Array<{ text: string }> }) => (JSON.parse(result.content[0]!.text) as { error: { code: string; message: string; hint?: string } }).error;

/** Where a session lives in Redis: its user hash and its field. */
async function place(sessionId: string): Promise<{ hash: string; s: string }> {
  const s = digest(sessionId);
  const user = await redis.get(`${keyPrefix}sid:{${s}}`);
  assert.ok(user, 'the session is in Redis');
  return { hash: `${keyPrefix}user:{${user}}`, s };
}

const sentTo = (emulator: Emulator) => emulator.totalRequests;

test('a session altered in Redis never sends its token elsewhere and answers SESSION_INVALID; a Taiga no longer allowed gets nothing', { timeout: 60_000 }, async () => {
  let server = await instance([other.url]);
  try {
    const login = async (host?: string) => {
      const r = await tool(server, 'login', { username: host ? 'user2' : 'user1', password: '123123', ...(host && { host }) });
      assert.ok(r.ok, JSON.stringify(r));
      return r.data['session_id'] as string;
    };
    const [here, there] = [await login(), await login(other.url)];
    assert.ok((await tool(server, 'list_projects', { session_id: here })).ok);
    const victim = await place(here);
    const elsewhere = await place(there);
    const meta = (await redis.hGet(victim.hash, victim.s))!;
    const sealed = (await redis.hGet(victim.hash, `${victim.s}:tok`))!;
    const m = JSON.parse(meta) as Record<string, unknown>;
    const otherMeta = (await redis.hGet(elsewhere.hash, elsewhere.s))!;
    const otherSealed = (await redis.hGet(elsewhere.hash, `${elsewhere.s}:tok`))!;
    const attempts: Array<[string, Record<string, string>]> = [
      ['the Taiga URL of the earlier format pointed elsewhere', { [victim.s]: JSON.stringify({ ...m, a: other.apiUrl, k: `${other.apiUrl}|user1`.toLowerCase() }) }],
      ['the principal', { [victim.s]: JSON.stringify({ ...m, p: 'x'.repeat(43) }) }],
      ['the expiry', { [victim.s]: JSON.stringify({ ...m, e: Number(m['e']) + 86_400_000 }) }],
      ['the creation time', { [victim.s]: JSON.stringify({ ...m, c: 0 }) }],
      ['the log label', { [victim.s]: JSON.stringify({ ...m, s: 'deadbeef' }) }],
      ['the sealed tokens of a session on the other Taiga', { [`${victim.s}:tok`]: otherSealed }],
      ['the whole record of a session on the other Taiga', { [victim.s]: otherMeta, [`${victim.s}:tok`]: otherSealed }],
    ];
    for (const [what, fields] of attempts) {
      const before = sentTo(other);
      await redis.hSet(victim.hash, fields);
      assert.deepEqual(await tool(server, 'list_projects', { session_id: here }), { ok: false, code: 'SESSION_INVALID' }, what);
      assert.deepEqual(await tool(server, 'session_status', { session_id: here }), { ok: false, code: 'SESSION_INVALID' }, what);
      assert.equal(sentTo(other), before, `${what}: the other Taiga was sent nothing`);
      await redis.hSet(victim.hash, { [victim.s]: meta, [`${victim.s}:tok`]: sealed });
      assert.ok((await tool(server, 'list_projects', { session_id: here })).ok, `${what}: put back, the session works`);
    }
    assert.ok((await tool(server, 'list_projects', { session_id: there })).ok, 'the session on the other Taiga works while it is allowed');

    await server.stop();
    server = await instance([]);
    const before = sentTo(other);
    const refused = errorIn(await call(server, 'list_projects', { session_id: there }));
    assert.deepEqual([refused.code, refused.message, refused.hint], ['SESSION_INVALID', 'This session is for a Taiga that this server does not allow (any more).', 'Call login again.']);
    assert.equal(sentTo(other), before, 'a Taiga the configuration no longer allows is sent nothing');
    assert.ok((await tool(server, 'list_projects', { session_id: here })).ok);
  } finally {
    await server.stop();
  }
});
