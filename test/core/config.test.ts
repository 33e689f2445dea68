import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../../core/config/load.js';
import { jsonErrorPlace } from '../../core/config/json-syntax.js';
import { configJsonSchema, CONFIG_SCHEMA_PATH } from '../../core/config/write-schema.js';
import type { TaigaMcpError } from '../../core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-config-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const fails = (pattern: RegExp) => (e: TaigaMcpError) => e.code === 'CONFIG_INVALID' && pattern.test(e.message);

test('defaults match the brief: 8 h sessions, 5 per user, 5 logins a minute, 15 min lockout', () => {
  const { config } = loadConfig({ env: {}, cwd: dir });
  assert.equal(config.sessions.expirySeconds, 28_800);
  assert.equal(config.sessions.maxPerUser, 5);
  assert.equal(config.rateLimits.loginPerMinute, 5);
  assert.equal(config.rateLimits.loginLockoutMinutes, 15);
  assert.equal(config.tools.toolsets, 'default');
});

test('environment variables of the Python bridge override the file', () => {
  const path = file('a.json', { taiga: { url: 'https://from-file.example' }, sessions: { maxPerUser: 2 } });
  const { config } = loadConfig({
    file: path,
    cwd: dir,
    env: { TAIGA_API_URL: 'https://env.example/api/v1', SESSION_EXPIRY: '60', MAX_SESSIONS_PER_USER: '3', ALLOW_HTTP_TAIGA: 'true', LOG_LEVEL: 'DEBUG', LOGIN_RATE_LIMIT: '7', LOGIN_LOCKOUT_MINUTES: '1', SESSION_CLEANUP_INTERVAL: '10', REQUEST_TIMEOUT: '9', TAIGA_TOOLSETS: 'projects, auth', TAIGA_READ_ONLY: 'true' },
  });
  assert.equal(config.taiga.url, 'https://env.example/api/v1');
  assert.equal(config.sessions.expirySeconds, 60);
  assert.equal(config.sessions.maxPerUser, 3);
  assert.equal(config.taiga.allowHttp, true);
  assert.equal(config.logLevel, 'debug');
  assert.deepEqual(config.tools.toolsets, ['projects', 'auth']);
  assert.equal(config.tools.readOnly, true);
  assert.equal(config.taiga.requestTimeoutSeconds, 9);
});

test('credentials from the environment stay strings, whatever they look like', () => {
  const { config } = loadConfig({ env: { TAIGA_USERNAME: '1234', TAIGA_PASSWORD: '007007', TAIGA_TOKEN: 'true' }, cwd: dir });
  assert.deepEqual([config.taiga.username, config.taiga.password, config.taiga.token], ['1234', '007007', 'true']);
  assert.equal(loadConfig({ env: { ALLOW_HTTP_TAIGA: '1' }, cwd: dir }).config.taiga.allowHttp, true);
});

test('an MCP Bundle field left blank (an unresolved ${user_config.…} placeholder) counts as unset', () => {
  const blank = (field: string) => `\${user_config.${field}}`;
  const env = {
    TAIGA_API_URL: 'https://taiga.example.com',
    TAIGA_APPLICATION_TOKEN: blank('application_token'),
    TAIGA_USERNAME: blank('username'),
    TAIGA_PASSWORD: blank('password'),
    TAIGA_TOOLSETS: blank('toolsets'),
    TAIGA_READ_ONLY: blank('read_only'),
    ALLOW_HTTP_TAIGA: blank('allow_http'),
    TAIGA_MCP_CONFIG: blank('config'),
    REDIS_URL: blank('redis_url'),
  };
  const { config } = loadConfig({ env, cwd: dir });
  assert.deepEqual([config.taiga.applicationToken, config.taiga.username, config.taiga.password], [undefined, undefined, undefined]);
  assert.deepEqual([config.tools.toolsets, config.tools.readOnly, config.taiga.allowHttp, config.store.kind], ['default', false, false, 'memory']);
  // Only the placeholder on its own: a password that merely contains one is a password.
  assert.equal(loadConfig({ env: { TAIGA_PASSWORD: `x${blank('password')}` }, cwd: dir }).config.taiga.password, 'x${user_config.password}');
});

test('a bad value fails naming the key (and the variable) and what was expected', () => {
  assert.throws(() => loadConfig({ env: { SESSION_EXPIRY: 'soon' }, cwd: dir }), fails(/SESSION_EXPIRY \(sessions\.expirySeconds\): expected number/));
  assert.throws(() => loadConfig({ file: file('b.json', { tools: { readOnly: 'yes' } }), env: {}, cwd: dir }), fails(/tools\.readOnly: expected boolean/));
  assert.throws(() => loadConfig({ file: file('c.json', { sesions: {} }), env: {}, cwd: dir }), fails(/sesions/));
  assert.throws(() => loadConfig({ file: file('d.json', '{not json'), env: {}, cwd: dir }), fails(/not valid JSON/));
  assert.throws(() => loadConfig({ file: join(dir, 'missing.json'), env: {}, cwd: dir }), fails(/does not exist/));
});

test('a JSON syntax error is told by line and column, never by the text around it', () => {
  const secret = 'hunter2-s3cret';
  const broken = [
    [`{\n  "taiga": {\n    "password": ${secret}\n  }\n}`, 3, 17],
    [`{\n  "taiga": {"password": "${secret}" "username": "admin"}\n}`, 2, 42],
    [`{"taiga": {"password": "${secret}\n"}}`, 1, 39],
    [`{"taiga": {"password": "${secret}\\x"}}`, 1, 40],
    [`{"taiga": {"password": "${secret}"}`, 1, 41],
    [`{"taiga": {"password": "${secret}"}}}`, 1, 42],
    [`{"a": [1, 2,]}`, 1, 13],
    [`{"a": tru}`, 1, 10],
    [`{"a": 01}`, 1, 8],
    [`{"a": -}`, 1, 8],
    [`{"a" 1}`, 1, 6],
    [`{'a': 1}`, 1, 2],
    [`{"a": "\\u12"}`, 1, 12],
    [``, 1, 1],
    [`[1 2]`, 1, 4],
    [`{"a": {}, "b": [], "c": [true, false, null, -1.5e3, "\\u00e9\\n"], "d": 1,}`, 1, 73],
  ] as const;
  for (const [text, line, column] of broken) {
    assert.throws(() => JSON.parse(text), SyntaxError, text);
    assert.deepEqual(jsonErrorPlace(text), { line, column }, text);
    const path = file('broken.json', text);
    assert.throws(() => loadConfig({ file: path, env: {}, cwd: dir }), (e: TaigaMcpError) => {
      assert.equal(e.message, `config file ${path} is not valid JSON: syntax error at line ${line}, column ${column}`);
      return true;
    });
  }
  assert.equal(loadConfig({ file: file('bom.json', '\uFEFF{"logLevel": "warn"}'), env: {}, cwd: dir }).config.logLevel, 'warn', 'a byte order mark is not an error');
  assert.throws(() => loadConfig({ file: file('array.json', '[1]'), env: {}, cwd: dir }), fails(/the top level must be an object/));
});

test('the place of a JSON syntax error is where JSON.parse itself stops, when it says so', () => {
  // V8 gives a position for most errors (not for an unexpected token): there the two must agree.
  const damaged = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('}', ']', ',', ':', '"', 'x', '\n', '\\', '', '0'), fc.boolean()).map(([text, at, c, cut]) => {
    const i = at % (text.length + 1);
    return cut ? text.slice(0, i) : text.slice(0, i) + c + text.slice(i);
  });
  fc.assert(fc.property(damaged, (text) => {
    let position: number | undefined;
    try {
      JSON.parse(text);
      return;
    } catch (err) {
      const m = /at position (\d+)/.exec((err as Error).message);
      position = m ? Number(m[1]) : /end of JSON input/.test((err as Error).message) ? text.length : undefined;
    }
    if (position === undefined) return;
    const before = text.slice(0, position);
    assert.deepEqual(jsonErrorPlace(text), { line: before.split('\n').length, column: position - before.lastIndexOf('\n') }, JSON.stringify(text));
  }), { numRuns: 3000 });
});

test('a value that does not match its pattern is refused in words, not with the pattern', () => {
  const refusal = (config: unknown): string => {
    try {
      loadConfig({ file: file('pattern.json', config), env: {}, cwd: dir });
    } catch (e) {
      return (e as TaigaMcpError).message;
    }
    return 'accepted';
  };
  assert.equal(refusal({ store: { kind: 'redis', url: 'http://cache:6379' } }), 'invalid configuration: store.url: expected a redis:// or rediss:// URL, got [REDACTED]');
  assert.equal(refusal({ store: { kind: 'redis', url: 'redis://cache:6379', encryptionKey: 'c2VjcmV0' } }), 'invalid configuration: store.encryptionKey: expected 32 bytes in base64, got [REDACTED]');
  assert.equal(refusal({ http: { auth: { apiKeys: [{ principal: 'a b', sha256: 'a'.repeat(64) }] } } }), 'invalid configuration: http.auth.apiKeys.0.principal: expected letters, digits and . _ @ : + -, got "a b"');
});

test('a bad password value is never echoed in the error', () => {
  assert.throws(() => loadConfig({ file: file('e.json', { taiga: { password: 42 } }), env: {}, cwd: dir }), (e: TaigaMcpError) => !e.message.includes('42') && /REDACTED/.test(e.message));
});

test('the default file name in the working directory is picked up', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'taiga-mcp-cwd-'));
  writeFileSync(join(cwd, 'taiga-mcp.config.json'), JSON.stringify({ logLevel: 'warn' }));
  assert.equal(loadConfig({ env: {}, cwd }).config.logLevel, 'warn');
});

test('config/taiga-mcp.schema.json is generated from the schema and up to date', () => {
  assert.deepEqual(JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')), JSON.parse(JSON.stringify(configJsonSchema())));
});

test('the example configs in config/ are valid', () => {
  for (const name of ['default.json', 'read-only.json', 'team.json']) {
    const path = new URL(`../../../config/${name}`, import.meta.url).pathname;
    assert.doesNotThrow(() => loadConfig({ file: path, env: {}, cwd: dir }), name);
  }
});

test('confirmations: TAIGA_CONFIRMATIONS (any case) and TAIGA_CONFIRM_BULK_THRESHOLD; a bad value names the variable', () => {
  assert.deepEqual(loadConfig({ env: {}, cwd: dir }).config.confirmations, { mode: 'ask', bulkThreshold: 10 });
  assert.deepEqual(loadConfig({ env: { TAIGA_CONFIRMATIONS: 'Require', TAIGA_CONFIRM_BULK_THRESHOLD: '25' }, cwd: dir }).config.confirmations, { mode: 'require', bulkThreshold: 25 });
  assert.throws(() => loadConfig({ env: { TAIGA_CONFIRMATIONS: 'sometimes' }, cwd: dir }), fails(/TAIGA_CONFIRMATIONS \(confirmations\.mode\)/));
  assert.throws(() => loadConfig({ env: { TAIGA_CONFIRM_BULK_THRESHOLD: '-1' }, cwd: dir }), fails(/TAIGA_CONFIRM_BULK_THRESHOLD \(confirmations\.bulkThreshold\)/));
});

test('a config file found in the working directory cannot turn confirmations off', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'taiga-mcp-cwd-'));
  writeFileSync(join(cwd, 'taiga-mcp.config.json'), JSON.stringify({ confirmations: { mode: 'off' } }));
  const loaded = loadConfig({ env: {}, cwd });
  assert.equal(loaded.config.confirmations.mode, 'ask');
  assert.deepEqual(loaded.ignored, ['confirmations']);
});
