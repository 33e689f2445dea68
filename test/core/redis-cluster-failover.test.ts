import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { createLogger } from '../../core/logger.js';
import { RedisStore } from '../../core/sessions/redis-store.js';
import { RedisKeys } from '../../core/sessions/redis-keys.js';
import { TaigaMcpError } from '../../core/errors.js';
import { startCluster, type TestCluster } from '../helpers/redis-cluster.js';
import { replicaCaughtUp } from '../helpers/redis-server.js';
import { newSession } from './store-contract.js';

// One master of a real Redis Cluster (3 masters, 3 replicas) frozen or killed: the calls on its
// slots answer STORE_UNAVAILABLE at the store's deadline, never hang, and the sessions it held are
// served again once its replica has taken over (and when the old master is back, as a replica).
const TIMEOUT_MS = 1000;
let cluster: TestCluster;
let store: RedisStore;
/** What the store logged: an operator reads that a master is gone. */
const logged: string[] = [];
const keyPrefix = `test:${randomUUID()}:`;
const keys = new RedisKeys(keyPrefix);
before(async () => {
  cluster = await startCluster();
  store = await RedisStore.open({ cluster: cluster.rootUrls, keyPrefix, encryptionKey: randomBytes(32).toString('base64'), logger: createLogger('warn', new Writable({ write(chunk, _e, done) { logged.push(String(chunk)); done(); } })), commandTimeoutMs: TIMEOUT_MS });
});
after(async () => {
  await store.close();
  cluster.close();
});

let created = 0;
/** A session, and the master holding its user's hash (where the scripts run). */
async function sessionOnAMaster() {
  created += 1;
  const session = newSession({ userKey: `http://taiga.test/api/v1|${randomUUID()}` });
  await store.createSession(session, { ttlMs: 600_000, maxPerUser: 5 });
  const master = cluster.masterOf(keys.user(keys.digest(session.userKey)));
  await replicaCaughtUp(master.port);
  await replicaCaughtUp(cluster.masterOf(keys.pointer(keys.digest(session.id))).port);
  return { session, master };
}

/** The session as the store answers it, until it is active again (or the time is up). */
async function servedAgain(id: string, withinMs = 30_000): Promise<string> {
  const until = Date.now() + withinMs;
  let last = '';
  while (Date.now() < until) {
    last = await store.getSession(id, 'alice').then((found) => found.state, (err: unknown) => (err instanceof TaigaMcpError ? err.code : String(err)));
    if (last === 'active') return last;
    await sleep(200);
  }
  return last;
}

const unavailableAtTheDeadline = (e: unknown) =>
  e instanceof TaigaMcpError && e.code === 'STORE_UNAVAILABLE' && /no answer from Redis within 1000 ms/.test(String((e.cause as Error)?.message));

test('a frozen master: its sessions answer STORE_UNAVAILABLE at the store deadline (not a hang); its replica takes over and they are back, the old master still frozen', { timeout: 60_000 }, async () => {
  const { session, master } = await sessionOnAMaster();
  master.freeze();
  try {
    await assert.rejects(store.getSession(session.id, 'alice'), unavailableAtTheDeadline);
    await assert.rejects(store.touchSession(session.id, 'alice'), (e: TaigaMcpError) => e.code === 'STORE_UNAVAILABLE');
    assert.equal(await servedAgain(session.id), 'active', 'served by the promoted replica');
    assert.notEqual(cluster.masterOf(keys.user(keys.digest(session.userKey))), master);
    assert.equal(await store.ready(), true);
  } finally {
    master.thaw();
  }
  await cluster.settled();
});

test('a killed master: STORE_UNAVAILABLE, then its sessions are back on its replica; restarted, it rejoins and nothing is lost', { timeout: 60_000 }, async () => {
  const { session, master } = await sessionOnAMaster();
  const other = (await sessionOnAMaster()).session;
  const warned = logged.filter((l) => l.includes('Redis unreachable')).length;
  master.kill();
  await assert.rejects(store.getSession(session.id, 'alice'), (e: TaigaMcpError) => e.code === 'STORE_UNAVAILABLE');
  for (let i = 0; i < 100 && logged.filter((l) => l.includes('Redis unreachable')).length === warned; i++) await sleep(50);
  assert.ok(logged.filter((l) => l.includes('Redis unreachable')).length > warned, 'the lost master is logged');
  assert.equal(await store.ready(), false, 'not ready while a master is missing');
  assert.equal(await servedAgain(session.id), 'active');
  await master.start();
  await cluster.settled();
  assert.match(master.cli('ROLE'), /^slave/, 'the old master is now a replica');
  for (const s of [session, other]) assert.equal((await store.touchSession(s.id, 'alice')).state, 'active');
  assert.equal(await store.activeSessions(), created, 'every session made in this file is there');
});
