import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@redis/client';
import { createLogger } from '../../core/logger.js';
import { loadConfig, validateConfig } from '../../core/config/load.js';
import { createStore } from '../../core/sessions/create-store.js';
import { RedisStore } from '../../core/sessions/redis-store.js';
import { TokenCipher } from '../../core/sessions/token-cipher.js';
import { RedisKeys } from '../../core/sessions/redis-keys.js';
import { TaigaMcpError } from '../../core/errors.js';
import { createTestClient, dataOf, errorOf } from '../../core/testing/index.js';
import type { StateStore } from '../../core/sessions/types.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { freePort, testRedisUrl } from '../helpers/redis-server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { ScriptedRedis } from '../helpers/scripted-redis.js';
import { newSession } from './store-contract.js';

const url = await testRedisUrl();
const encryptionKey = randomBytes(32).toString('base64');
const raw = createClient({ url });
let emulator: Emulator;
before(async () => {
  await raw.connect();
  emulator = await startEmulator();
});
after(async () => {
  raw.destroy();
  await emulator.close();
});
const code = (c: string) => (e: unknown) => e instanceof TaigaMcpError && e.code === c;
const digest = (value: string) => new RedisKeys('').digest(value);
const opened: StateStore[] = [];
/** A store closed after the test, passed or failed: an open client would keep the test process alive. */
async function open(keyPrefix: string, over: Partial<Parameters<typeof RedisStore.open>[0]> = {}): Promise<RedisStore> {
  const store = await RedisStore.open({ url, keyPrefix, encryptionKey, logger: createLogger('silent'), ...over });
  opened.push(store);
  return store;
}
afterEach(async () => void (await Promise.all(opened.splice(0).map((s) => s.close()))));

/** Every key under the prefix with what it holds, as a dump of Redis would show it. */
async function dump(prefix: string): Promise<Array<{ key: string; value: string }>> {
  const out: Array<{ key: string; value: string }> = [];
  for (const key of await raw.keys(`${prefix}*`)) {
    const type = await raw.type(key);
    const value = type === 'hash' ? JSON.stringify(await raw.hGetAll(key)) : type === 'zset' ? JSON.stringify(await raw.zRange(key, 0, -1)) : String(await raw.get(key));
    out.push({ key, value });
  }
  return out;
}

test('a dump of Redis holds no Taiga token, session id, username, Taiga URL, user id or principal; every key has one hash tag, shared by the keys a script touches', async () => {
  const prefix = `test:${randomUUID()}:`;
  const store = await open(prefix);
  const apiUrl = 'https://taiga-private-host.example/api/v1';
  const session = newSession({ principal: 'principal-alice-x', username: 'victim-username-x', userKey: `${apiUrl}|victim-username-x`, apiUrl, userId: 9_876_543 });
  await store.createSession(session, { ttlMs: 60_000, maxPerUser: 5 });
  await store.updateTokens(session.id, session.refreshToken!, { authToken: 'access-rotated-secret', refreshToken: 'refresh-rotated-secret' });
  assert.equal((await store.touchSession(session.id, 'principal-alice-x')).state, 'active');
  await store.acquireRefreshLock(session.id, 60_000);
  for (let i = 0; i < 2; i++) await store.loginAttempt('login:203.0.113.9', { max: 1, windowMs: 60_000, lockoutMs: 60_000 });
  await store.takeToken(`calls:${session.id}`, 5, 1);
  const entries = await dump(prefix);
  assert.equal(entries.length, 6, entries.map((e) => e.key).join(' '));
  for (const { key, value } of entries) {
    for (const secret of [session.id, session.authToken, session.refreshToken!, 'access-rotated-secret', 'refresh-rotated-secret', '203.0.113.9', 'taiga-private-host', 'victim-username-x', 'principal-alice-x', '9876543']) {
      assert.ok(!key.includes(secret) && !value.includes(secret), `${key} holds a secret`);
    }
    assert.match(key.slice(prefix.length), /^[a-z]+:\{[A-Za-z0-9_-]{43}\}(:[a-z]+)?$/, key);
  }
  const tags = entries.filter((e) => e.key.includes('login:')).map((e) => /\{(.*)\}/.exec(e.key)![1]);
  assert.equal(tags.length, 2);
  assert.equal(tags[0], tags[1], 'the attempts and the lockout of one source are in one slot');
});

/** A store whose error lines are kept. */
async function logged(prefix: string): Promise<{ store: RedisStore; lines: string[] }> {
  const lines: string[] = [];
  const logger = createLogger('error', new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } }));
  return { store: await open(prefix, { logger }), lines };
}

test('sealed tokens open only for their own session and with the same key', async () => {
  const prefix = `test:${randomUUID()}:`;
  const { store, lines } = await logged(prefix);
  const a = newSession();
  const b = newSession();
  await store.createSession(a, { ttlMs: 60_000, maxPerUser: 5 });
  await store.createSession(b, { ttlMs: 60_000, maxPerUser: 5 });
  const [userKey] = await raw.keys(`${prefix}user:*`);
  const fields = await raw.hGetAll(userKey!);
  const tokField = (id: string) => Object.keys(fields).find((f) => f.endsWith(':tok') && fields[f] !== undefined && f.startsWith(digest(id)))!;
  await raw.hSet(userKey!, tokField(b.id), fields[tokField(a.id)]!);
  assert.deepEqual(await store.getSession(b.id, 'alice'), { state: 'unknown' }, "a's tokens do not open as b's");
  assert.equal((await store.getSession(a.id, 'alice')).state, 'active');
  assert.equal(lines.filter((l) => l.includes('does not open')).length, 1, 'only the session that does not open is logged');
  assert.ok(lines.every((l) => !l.includes(b.id) && !l.includes(a.authToken)));
  const otherKey = await open(prefix, { encryptionKey: randomBytes(32).toString('base64') });
  assert.deepEqual(await otherKey.getSession(a.id, 'alice'), { state: 'unknown' });
});

test('every field of a stored session, altered in Redis without the store key, makes it unknown: no token, Taiga URL or user is handed out', async () => {
  const prefix = `test:${randomUUID()}:`;
  const { store, lines } = await logged(prefix);
  const session = newSession();
  const { record } = await store.createSession(session, { ttlMs: 60_000, maxPerUser: 5 });
  const other = newSession();
  await store.createSession(other, { ttlMs: 60_000, maxPerUser: 5 });
  const [hash] = await raw.keys(`${prefix}user:*`);
  const s = digest(session.id);
  const meta = (await raw.hGet(hash!, s))!;
  const sealed = (await raw.hGet(hash!, `${s}:tok`))!;
  const m = JSON.parse(meta) as Record<string, unknown>;
  assert.deepEqual(Object.keys(m), ['p', 'c', 'e', 's'], 'the meta holds no Taiga URL, user key or username');
  const mallory = new TokenCipher(encryptionKey).digest('mallory');
  const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`;
  const tampered: Array<[string, { meta?: string; tok?: string }]> = [
    ['principal', { meta: JSON.stringify({ ...m, p: mallory }) }],
    ['created', { meta: JSON.stringify({ ...m, c: Number(m['c']) - 1 }) }],
    ['expiry', { meta: JSON.stringify({ ...m, e: Number(m['e']) + 86_400_000 }) }],
    ['label', { meta: JSON.stringify({ ...m, s: other.id.slice(0, 8) }) }],
    ['a Taiga URL added (the attack on the earlier format)', { meta: JSON.stringify({ ...m, a: 'https://attacker.example/api/v1', k: 'https://attacker.example/api/v1|user1' }) }],
    ['the same values, written again', { meta: JSON.stringify({ e: m['e'], p: m['p'], c: m['c'], s: m['s'] }) }],
    ["another session's sealed tokens", { tok: (await raw.hGet(hash!, `${digest(other.id)}:tok`))! }],
    ['the earlier format', { tok: sealed.replace(/^v2\./, 'v1.') }],
    ['one bit of the seal', { tok: flipped }],
  ];
  for (const [what, change] of tampered) {
    lines.length = 0;
    if (change.meta) await raw.hSet(hash!, s, change.meta);
    if (change.tok) await raw.hSet(hash!, `${s}:tok`, change.tok);
    for (const principal of ['alice', 'mallory']) {
      assert.deepEqual(await store.getSession(session.id, principal), { state: 'unknown' }, `${what}: getSession(${principal})`);
      assert.deepEqual(await store.touchSession(session.id, principal), { state: 'unknown' }, `${what}: touchSession(${principal})`);
    }
    assert.equal(await store.updateTokens(session.id, session.refreshToken!, { authToken: 'a2', refreshToken: 'r2' }), 'gone', `${what}: nothing is sealed to an altered record`);
    assert.ok(lines.some((l) => l.includes('does not open')) || change.meta?.includes(mallory), `${what}: logged`);
    await raw.hSet(hash!, s, meta);
    await raw.hSet(hash!, `${s}:tok`, sealed);
    assert.deepEqual(await store.getSession(session.id, 'alice'), { state: 'active', record: { ...record, lastAccessedAt: (await store.getSession(session.id, 'alice') as { record: { lastAccessedAt: number } }).record.lastAccessedAt } }, `${what}: put back, it opens again`);
  }
  // The sealed tokens removed: nothing is handed out or renewed.
  await raw.hDel(hash!, `${s}:tok`);
  assert.deepEqual(await store.getSession(session.id, 'alice'), { state: 'unknown' });
  assert.equal(await store.updateTokens(session.id, session.refreshToken!, { authToken: 'a2', refreshToken: 'r2' }), 'gone');
});

test('every key a session writes expires; a deleted session leaves no pointer to its user', async () => {
  const prefix = `test:${randomUUID()}:`;
  const store = await open(prefix);
  const session = newSession();
  await store.createSession(session, { ttlMs: 60_000, maxPerUser: 5 });
  const keys = await raw.keys(`${prefix}*`);
  const pointer = `${prefix}sid:{${digest(session.id)}}`;
  assert.ok(keys.includes(pointer), keys.join(', '));
  for (const key of keys) assert.ok((await raw.pTTL(key)) > 60_000, `${key} expires after the session and its tombstone`);
  assert.equal(await store.deleteSession(session.id, 'alice'), 'active');
  assert.equal(await raw.exists(pointer), 0);
  assert.equal(await store.deleteSession(session.id, 'alice'), 'unknown');
});

test('the Redis store refuses to start without a valid key; REDIS_URL selects it', async () => {
  const config = validateConfig({ store: { kind: 'redis', url } });
  await assert.rejects(createStore(config, createLogger('silent')), (e: TaigaMcpError) => e.code === 'CONFIG_INVALID' && /TAIGA_MCP_STORE_KEY/.test(e.message));
  assert.throws(() => new TokenCipher(Buffer.alloc(16).toString('base64')), code('CONFIG_INVALID'));
  assert.throws(() => new TokenCipher(`${Buffer.alloc(32).toString('base64').slice(0, -1)}A`), code('CONFIG_INVALID'));
  assert.throws(() => validateConfig({ store: { kind: 'redis', url, encryptionKey: 'short' } }), (e: TaigaMcpError) => /encryptionKey/.test(e.message) && !e.message.includes('short'));
  assert.throws(() => validateConfig({ store: { kind: 'redis', url, keyPrefix: 'a{b}:' } }), /keyPrefix/);
  const env = { REDIS_URL: 'redis://127.0.0.1:1', TAIGA_MCP_STORE_KEY: encryptionKey };
  assert.deepEqual(loadConfig({ env, cwd: '/' }).config.store, { kind: 'redis', url: env.REDIS_URL, keyPrefix: 'taiga-mcp:', encryptionKey, commandTimeoutMs: 5000 });
  assert.deepEqual(loadConfig({ env: { TAIGA_MCP_STORE_KEY: encryptionKey }, cwd: '/' }).config.store, { kind: 'memory' }, 'the key alone does not select Redis');
  const stdio = loadConfig({ env, cwd: '/', transport: 'stdio' });
  assert.deepEqual([stdio.config.store, stdio.ignoredEnv], [{ kind: 'memory' }, ['REDIS_URL']], 'a stdio server keeps its state in memory');
  const store = await createStore(validateConfig({ store: { kind: 'redis', url, encryptionKey } }), createLogger('silent'));
  opened.push(store);
  assert.equal(await store.ready(), true);
});

/** How many EVAL (a script sent whole) and EVALSHA commands Redis has seen, served or refused (the test files run one at a time). */
async function scriptCalls(): Promise<{ eval: number; evalsha: number }> {
  const stats = await raw.info('commandstats');
  const calls = (name: string) => {
    const line = stats.split('\r\n').find((l) => l.startsWith(`cmdstat_${name}:`)) ?? '';
    return [...line.matchAll(/(?:^|,|:)(?:calls|rejected_calls)=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  };
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

test('a Redis restart that emptied its script cache is met with the scripts themselves, once', async () => {
  const store = await open(`test:${randomUUID()}:`);
  await store.takeToken('k', 5, 1);
  await raw.scriptFlush();
  const before = await scriptCalls();
  assert.equal(await store.takeToken('k', 5, 1), 0);
  assert.equal((await scriptCalls()).eval, before.eval + 1, 'the script is sent whole after NOSCRIPT');
  for (let i = 0; i < 3; i++) await store.takeToken(`k${i}`, 5, 1);
  const after = await scriptCalls();
  assert.deepEqual(after, { eval: before.eval + 1, evalsha: before.evalsha + 4 }, 'then it runs by its SHA-1 again');
  const { record } = await store.createSession(newSession(), { ttlMs: 60_000, maxPerUser: 5 });
  assert.equal((await store.touchSession(record.id, 'alice')).state, 'active');
});

test('Redis refusing writes (out of memory) is STORE_UNAVAILABLE; a script meeting the wrong type stays a bug', async () => {
  const prefix = `test:${randomUUID()}:`;
  const store = await open(prefix);
  const maxmemory = (await raw.configGet('maxmemory'))['maxmemory'] ?? '0';
  await raw.configSet('maxmemory', '1');
  try {
    await assert.rejects(store.createSession(newSession(), { ttlMs: 60_000, maxPerUser: 5 }), code('STORE_UNAVAILABLE'));
  } finally {
    await raw.configSet('maxmemory', maxmemory);
  }
  const session = newSession();
  await raw.set(`${prefix}user:{${digest(session.userKey)}}`, 'not a hash');
  const before = await scriptCalls();
  await assert.rejects(store.createSession(session, { ttlMs: 60_000, maxPerUser: 5 }), (e: Error) => !(e instanceof TaigaMcpError) && /WRONGTYPE/.test(e.message));
  assert.equal((await scriptCalls()).eval, before.eval, 'a script that failed is not sent again whole');
});

test('a Redis that is not there at start-up: calls answer STORE_UNAVAILABLE at once, and the process lives', async () => {
  const port = await freePort();
  const store = await open('x:', { url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 });
  assert.equal(await store.ready(), false);
  await assert.rejects(store.getSession(randomUUID(), 'alice'), code('STORE_UNAVAILABLE'));
  await assert.rejects(store.now(), code('STORE_UNAVAILABLE'));
});

test('Redis stopped mid-run: tool calls answer STORE_UNAVAILABLE, then work again once it is back', async () => {
  const target = new URL(url);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  await proxy.up();
  const keyPrefix = `test:${randomUUID()}:`;
  const kit = await createTestClient({
    config: { taiga: { url: emulator.url, allowHttp: true, username: 'admin', password: 'taigaadmin' }, store: { kind: 'redis', url: `redis://127.0.0.1:${proxy.port}`, keyPrefix, encryptionKey } },
  });
  const store = kit.app.container.resolve<StateStore>('store');
  try {
    const { session_id } = dataOf<{ session_id: string }>(await kit.call('login', { username: 'user2', password: '123123' }));
    dataOf(await kit.call('list_projects', { session_id }));
    await proxy.down();
    for (const args of [{ session_id }, {}]) {
      const started = performance.now();
      const error = errorOf(await kit.call('list_projects', args));
      assert.ok(performance.now() - started < 1000, 'at once: calls are not queued while Redis is away');
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.match(error.hint ?? '', /operator/);
    }
    assert.equal(errorOf(await kit.call('login', { username: 'user2', password: '123123' })).code, 'STORE_UNAVAILABLE');
    assert.equal(await store.ready(), false);
    await proxy.up();
    for (let i = 0; i < 100 && !(await store.ready()); i++) await sleep(50);
    assert.equal(await store.ready(), true, 'reconnected');
    assert.equal(dataOf<{ username: string }>(await kit.call('session_status', { session_id })).username, 'user2', 'the session outlived the outage');
    dataOf(await kit.call('list_projects', { session_id }));
  } finally {
    await kit.close();
    await proxy.down();
  }
});

test('a session whose creation time is older than the stored ones (its TIME read before theirs, its script run after) is the one evicted, and says so', async () => {
  const prefix = `test:${randomUUID()}:`;
  const store = await open(prefix);
  const session = newSession();
  const later = (await store.now()) + 60_000;
  await raw.hSet(`${prefix}user:{${digest(session.userKey)}}`, 'stored-later', JSON.stringify({ p: 'x', c: later, e: later + 60_000, s: 'stored-l' }));
  const { evicted } = await store.createSession(session, { ttlMs: 60_000, maxPerUser: 1 });
  assert.deepEqual(evicted, [session.id.slice(0, 8)]);
});

test('the sessions counted under a prefix with glob characters are its own, not those of prefixes it would match as a pattern', async () => {
  const base = `test:${randomUUID()}:`;
  const neighbour = await open(`${base}x:`);
  await neighbour.createSession(newSession(), { ttlMs: 60_000, maxPerUser: 5 });
  for (const prefix of [`${base}*:`, `${base}?:`, `${base}[xy]:`, `${base}\\x:`]) {
    const store = await open(prefix);
    await store.createSession(newSession(), { ttlMs: 60_000, maxPerUser: 5 });
    await store.createSession(newSession(), { ttlMs: 60_000, maxPerUser: 5 });
    assert.equal(await store.activeSessions(), 2, prefix);
  }
  assert.equal(await neighbour.activeSessions(), 1);
  assert.equal(await neighbour.sweep(), 0, 'Redis expires keys by itself: a sweep removes nothing');
});

test('a Redis that stops answering: calls answer STORE_UNAVAILABLE at their own deadline, before the silent connection is dropped; no deadline outlives its call', async () => {
  const lines: string[] = [];
  const logger = createLogger('warn', new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } }));
  // The connection is dropped after twice this silence (redis-connection.ts): a call must not wait for that.
  const store = await open(`test:${randomUUID()}:`, { commandTimeoutMs: 300, logger });
  await store.now();
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  for (let i = 0; i < 5; i++) await store.now();
  assert.equal(timers(), before, 'each call cleared its deadline');
  // CLIENT PAUSE ends by itself: nothing to undo if the test fails.
  await raw.sendCommand(['CLIENT', 'PAUSE', '2000', 'ALL']);
  try {
    await assert.rejects(store.now(), code('STORE_UNAVAILABLE'));
    assert.deepEqual(lines, [], 'the call ended before the connection was given up');
    assert.equal(await store.ready(), false);
  } finally {
    await raw.sendCommand(['CLIENT', 'UNPAUSE']);
  }
});

test('only a reply that starts with a passing state is STORE_UNAVAILABLE: a script error that merely mentions one stays a bug', async () => {
  let answer = '-LOADING Redis is loading the dataset in memory';
  const redis = new ScriptedRedis((command) => (command === 'EVALSHA' ? answer : undefined));
  try {
    const store = await open('x:', { url: await redis.start(), connectTimeoutMs: 2000 });
    await assert.rejects(store.takeToken('k', 1, 1), code('STORE_UNAVAILABLE'));
    answer = '-ERR user_script:1: a script bug whose text says LOADING';
    await assert.rejects(store.takeToken('k', 1, 1), (e: Error) => !(e instanceof TaigaMcpError) && e.message === answer.slice(1));
  } finally {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await redis.stop();
  }
});
