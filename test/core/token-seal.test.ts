import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TokenCipher } from '../../core/sessions/token-cipher.js';
import { TaigaMcpError } from '../../core/errors.js';
import { openSession, resealSession, sealSession } from '../../core/sessions/redis-record.js';

// Known answers: every instance of a release, and the next release of the same format, must open
// what another sealed (a rolling restart keeps its sessions). A change of format must be deliberate.
const KEY = Buffer.alloc(32, 7).toString('base64');
const cipher = new TokenCipher(KEY);
const S = 'S'.repeat(43);
const SESSION = {
  id: '00000000-1111-2222-3333-444444444444',
  principal: 'alice',
  userKey: 'https://taiga.example/api/v1|user1',
  username: 'user1',
  userId: 7,
  apiUrl: 'https://taiga.example/api/v1',
  authToken: 'access-1',
  refreshToken: 'refresh-1',
};
const META = '{"p":"O5_WZI-KcZuoCc0fjAqFRAgXm5Ayv53OzKzP-pbAROw","c":1700000000000,"e":1700028800000,"s":"00000000"}';
const SEALED = 'v2.J3fDswENcjJM5y8siEUzJbBRhgzwpicEcREm6fc9bG4RT1PugzAx8v_5iuSmb7daoRXFyt3wFEfUiorZ-Nt_dsSGKyrVBYRTD4tuDwks4GDGXp3eCxqiYUDgYiIscEuQe5PQYub8XgBq9Pj9cgol5p9C3l5VIKG9ZnHADTS_yOvcrw';

test('the cipher opens what it sealed before (known answers), and its keyed digest is stable', () => {
  assert.equal(cipher.open('v2.dLr0yI8T9zWpBnL-OwqzJ9LG3qsybM7ParsKlhHe1AwFC8ZRYYbQe_JiUg', 'known context'), 'known plaintext');
  assert.equal(cipher.digest('refresh-token-1'), 'XGwuGUKDSAI3c7fASi8_BVuIyLlO86Z-bctbsUj6kQk');
  assert.equal(cipher.open('v2.8IQ2G-Zn9jO8ot4qTGXAqJwVLFagVUmS5Q48sA', 'ctx'), '', 'an empty plaintext is sealed too');
  assert.equal(cipher.open(cipher.seal('', 'ctx'), 'ctx'), '');
  const twice = [cipher.seal('same', 'ctx'), cipher.seal('same', 'ctx')];
  assert.notEqual(twice[0], twice[1], 'a fresh nonce each time');
});

test('a sealed value opens only with its key, its context, its version and every byte as sealed', () => {
  const sealed = cipher.seal('secret-token', 'context-a');
  assert.equal(cipher.open(sealed, 'context-a'), 'secret-token');
  const body = sealed.slice(3);
  const raw = Buffer.from(body, 'base64url');
  const flip = (i: number) => {
    const copy = Buffer.from(raw);
    copy[i]! ^= 1;
    return `v2.${copy.toString('base64url')}`;
  };
  const refused: Array<[string, string, string]> = [
    ['another context', sealed, 'context-b'],
    ['the earlier version', `v1.${body}`, 'context-a'],
    ['no version', body, 'context-a'],
    ['no data', 'v2.', 'context-a'],
    ['no data, no dot', 'v2', 'context-a'],
    ['shorter than a nonce and a tag', `v2.${raw.subarray(0, 27).toString('base64url')}`, 'context-a'],
    ['a nonce bit', flip(0), 'context-a'],
    ['a tag bit', flip(12), 'context-a'],
    ['a last tag bit', flip(27), 'context-a'],
    ['a body bit', flip(28), 'context-a'],
  ];
  for (const [what, value, context] of refused) assert.equal(cipher.open(value, context), undefined, what);
  // GCM checks a tag of any length from 4 bytes: a blob cut to a 4-byte tag must not pass for one (2^-32 to forge).
  const empty = Buffer.from(cipher.seal('', 'context-a').slice(3), 'base64url');
  assert.equal(cipher.open(`v2.${empty.subarray(0, 16).toString('base64url')}`, 'context-a'), undefined, 'a truncated tag');
  assert.equal(new TokenCipher(randomBytes(32).toString('base64')).open(sealed, 'context-a'), undefined, 'another key');
  assert.notEqual(new TokenCipher(randomBytes(32).toString('base64')).digest('x'), cipher.digest('x'), 'the digest is keyed');
});

test('a session record: the meta holds only the principal digest, the times and the label; everything else is sealed to it', () => {
  const { meta, sealed } = sealSession(cipher, S, SESSION, 1_700_000_000_000, 28_800_000);
  assert.equal(meta, META);
  for (const clear of ['alice', 'user1', 'taiga.example', 'access-1', 'refresh-1', SESSION.id]) assert.ok(!meta.includes(clear) && !sealed.includes(clear), clear);
  const opened = { authToken: 'access-1', refreshToken: 'refresh-1', apiUrl: SESSION.apiUrl, userKey: SESSION.userKey, username: 'user1', userId: 7, createdAt: 1_700_000_000_000, expiresAt: 1_700_028_800_000 };
  assert.deepEqual(openSession(cipher, S, meta, sealed), opened);
  assert.deepEqual(openSession(cipher, S, META, SEALED), opened, 'known answer: the record format is stable');
  const { meta: noRefresh, sealed: sealedNoRefresh } = sealSession(cipher, S, { ...SESSION, refreshToken: undefined }, 1, 2);
  assert.equal(openSession(cipher, S, noRefresh, sealedNoRefresh)?.refreshToken, '');
});

test('a session record opens only for its session digest and the exact bytes of its meta; rotated tokens keep the identity', () => {
  const { meta, sealed } = sealSession(cipher, S, SESSION, 1_700_000_000_000, 28_800_000);
  assert.equal(openSession(cipher, 'T'.repeat(43), meta, sealed), undefined, 'another session');
  assert.equal(openSession(cipher, S, meta.replace('"c":1700000000000', '"c":1700000000001'), sealed), undefined, 'another creation time');
  assert.equal(openSession(cipher, S, `${meta} `, sealed), undefined, 'one more byte');
  const rotated = resealSession(cipher, S, meta, { apiUrl: SESSION.apiUrl, userKey: SESSION.userKey, username: 'user1', userId: 7 }, { authToken: 'access-2', refreshToken: 'refresh-2' });
  assert.deepEqual(openSession(cipher, S, meta, rotated), { authToken: 'access-2', refreshToken: 'refresh-2', apiUrl: SESSION.apiUrl, userKey: SESSION.userKey, username: 'user1', userId: 7, createdAt: 1_700_000_000_000, expiresAt: 1_700_028_800_000 });
  assert.equal(openSession(cipher, S, META.replace('"s":"00000000"', '"s":"00000001"'), rotated), undefined, 'another label');
});

test('the store key is 32 bytes in canonical base64, or start-up stops saying so', () => {
  const key = randomBytes(32).toString('base64');
  for (const bad of [randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), key.replace(/=$/, ''), ` ${key}`, randomBytes(32).toString('base64url')]) {
    assert.throws(() => new TokenCipher(bad), (e: unknown) => e instanceof TaigaMcpError && e.code === 'CONFIG_INVALID' && e.message === 'invalid configuration: store.encryptionKey (TAIGA_MCP_STORE_KEY): expected 32 bytes in base64', bad);
  }
  assert.equal(new TokenCipher(key).open(new TokenCipher(key).seal('é token', 'ctx'), 'ctx'), 'é token');
});
