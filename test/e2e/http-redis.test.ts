import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { createClient } from '@redis/client';
import { testRedisUrl } from '../helpers/redis-server.js';
import { callTool, rawRequest, startHttpMcp, type HttpMcp } from '../helpers/http-server.js';

// Two instances on two ports sharing one real Redis: any instance serves any session, a killed
// instance loses nothing, and the per-user cap and the login lockout hold across instances.
let emulator: Emulator;
let redisUrl: string;
let keyPrefix: string;
let a: HttpMcp;
let b: HttpMcp;
const alice = newApiKey();
const carol = newApiKey();
const LOGINS_PER_MINUTE = 25;

before(async () => {
  emulator = await startEmulator();
  const redis = (redisUrl = await testRedisUrl());
  keyPrefix = `t${randomBytes(4).toString('hex')}:`;
  const shared = {
    emulator,
    credentials: false,
    env: { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') },
    config: {
      store: { kind: 'redis', url: redis, keyPrefix },
      rateLimits: { loginPerMinute: LOGINS_PER_MINUTE },
    },
    http: { auth: { apiKeys: [{ sha256: alice.sha256, principal: 'alice' }, { sha256: carol.sha256, principal: 'carol' }] } },
  };
  [a, b] = await Promise.all([startHttpMcp(shared), startHttpMcp(shared)]);
});
after(async () => {
  await Promise.all([a.stop(), b.stop()]);
  await emulator.close();
});

const tool = callTool;

const opened: string[] = [];
const sessionOf = async (server: HttpMcp, username: string): Promise<string> => {
  const login = await tool(server, alice.key, 'login', { username, password: '123123' });
  assert.ok(login.ok, JSON.stringify(login));
  opened.push(login.data['session_id'] as string);
  return login.data['session_id'] as string;
};

test('a session opened through A is used through B', async () => {
  const id = await sessionOf(a, 'user1');
  const onB = await tool(b, alice.key, 'list_projects', { session_id: id });
  assert.ok(onB.ok, JSON.stringify(onB));
  const status = await tool(b, alice.key, 'session_status', { session_id: id });
  assert.ok(status.ok);
  assert.equal(status.data['username'], 'user1');
});

test('20 concurrent logins of one user across both instances leave exactly the 5 newest sessions', async () => {
  const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => sessionOf(i % 2 ? a : b, 'user3')));
  assert.equal(new Set(ids).size, 20);
  const states = await Promise.all(ids.map((id, i) => tool(i % 2 ? b : a, alice.key, 'session_status', { session_id: id })));
  assert.equal(states.filter((s) => s.ok).length, 5, JSON.stringify(states.map((s) => (s.ok ? 'ok' : s.code))));
  // user1's session from the first test and these 5, counted in Redis whichever instance is scraped
  for (const server of [a, b]) {
    const metrics = await rawRequest(`${server.origin}/metrics`, { method: 'GET', headers: { authorization: `Bearer ${alice.key}` } });
    assert.match(metrics.body, /^taiga_mcp_sessions_active 6$/m);
  }
});

test('a lockout earned through A holds through B', async () => {
  let locked = false;
  for (let i = 0; i <= LOGINS_PER_MINUTE && !locked; i++) {
    const attempt = await tool(a, carol.key, 'login', { username: 'user4', password: 'wrong' });
    assert.ok(!attempt.ok);
    locked = attempt.code === 'RATE_LIMITED';
  }
  assert.ok(locked, 'A locked carol out');
  const onB = await tool(b, carol.key, 'login', { username: 'user4', password: '123123' });
  assert.deepEqual(onB, { ok: false, code: 'RATE_LIMITED' });
});

test('SIGKILL A in the middle of a run: B serves every later call, and no session is lost', { timeout: 60_000 }, async () => {
  const ids = await Promise.all([sessionOf(a, 'user5'), sessionOf(b, 'user6'), sessionOf(a, 'user7')]);
  const running = (async () => {
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      const server = i < 10 ? a : b;
      const outcome = await tool(server, alice.key, 'list_projects', { session_id: ids[i % 3] }).catch((e: Error) => ({ ok: false as const, code: `transport:${e.message.slice(0, 40)}` }));
      seen.push(server === b ? (outcome.ok ? 'ok' : outcome.code) : 'a');
    }
    return seen;
  })();
  await new Promise((r) => setTimeout(r, 150));
  a.child.kill('SIGKILL');
  const seen = await running;
  assert.deepEqual(seen.filter((s) => s !== 'a'), Array(20).fill('ok'));
  for (const id of ids) assert.ok((await tool(b, alice.key, 'session_status', { session_id: id })).ok, 'every session is still there');
});

test('what the instances keep in Redis holds no password, token, API key or session id in the clear', async () => {
  const client = createClient({ url: redisUrl });
  await client.connect();
  try {
    let dump = '';
    for await (const batch of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) {
      for (const key of ([] as string[]).concat(batch)) {
        const type = await client.type(key);
        const value = type === 'hash' ? await client.hGetAll(key) : type === 'string' ? await client.get(key) : type === 'zset' ? await client.zRange(key, 0, -1) : type;
        dump += `${key} ${JSON.stringify(value)}\n`;
      }
    }
    assert.match(dump, /user:\{/, 'the sessions are there');
    assert.ok(opened.length >= 20);
    for (const id of opened) assert.ok(!dump.includes(id) && !dump.includes(id.replaceAll('-', '')), `session id ${id.slice(0, 8)}… in Redis`);
    for (const secret of ['123123', 'wrong', alice.key, carol.key]) assert.ok(!dump.includes(secret), `${secret.slice(0, 6)}… in Redis`);
    assert.doesNotMatch(dump, /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a Taiga token in Redis');
    assert.doesNotMatch(dump, /"(auth_?token|refresh)"/i, 'a token field in the clear');
  } finally {
    await client.close();
  }
});
