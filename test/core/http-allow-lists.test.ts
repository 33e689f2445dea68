import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../core/config/load.js';
import { allowedHostnames, allowedOriginHostnames, hostCheckProblem } from '../../core/http/allow-lists.js';
import type { TaigaMcpError } from '../../core/errors.js';

// The Host allow-list for binds a test may not make (tests listen on 127.0.0.1 only): a wildcard
// bind, a public address, IPv6. What 127.0.0.1 can show is tested over HTTP in
// test/e2e/http-transport.test.ts and http-lifecycle.test.ts.
const http = (h: Record<string, unknown>) => validateConfig({ http: h }).http;
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

test('a wildcard bind address is never an accepted Host name (a browser page can reach 0.0.0.0 as this machine)', () => {
  for (const host of ['0.0.0.0', '::', '[::]']) {
    assert.deepEqual([...allowedHostnames(http({ host, publicUrl: 'https://mcp.example.com:8443/base' }))], [...LOOPBACK, 'mcp.example.com'], host);
  }
});

test('any other bind address is accepted, as the Host check compares it (IPv6 in brackets, lower case)', () => {
  assert.deepEqual([...allowedHostnames(http({ host: '192.0.2.10' }))], [...LOOPBACK, '192.0.2.10']);
  assert.deepEqual([...allowedHostnames(http({ host: 'FD00::A' }))], [...LOOPBACK, '[fd00::a]']);
  assert.deepEqual([...allowedOriginHostnames(http({ host: '192.0.2.10', allowedOrigins: ['https://App.Example.com'] }))], [...LOOPBACK, '192.0.2.10', 'app.example.com']);
});

test('a wildcard bind needs publicUrl or allowedHosts; an allow-list entry that names no host stops the start', () => {
  assert.match(hostCheckProblem(http({ host: '0.0.0.0' }))!, /^bound to 0\.0\.0\.0: set http\.publicUrl/);
  assert.equal(hostCheckProblem(http({ host: '0.0.0.0', allowedHosts: ['mcp.example.com'] })), undefined);
  assert.equal(hostCheckProblem(http({ host: '::', publicUrl: 'https://mcp.example.com' })), undefined);
  assert.match(hostCheckProblem(http({ allowedOrigins: ['https://'] }))!, /^http\.allowedOrigins: "https:\/\/" is not a host name/);
});

test('OAuth names that reach the WWW-Authenticate header are header-safe: the config refuses others', () => {
  const oauth = (o: Record<string, unknown>) => () => validateConfig({ http: { auth: { oauth: { issuer: 'https://id.example.com', ...o } } } });
  for (const bad of [{ principalClaim: 'user "name"' }, { principalClaim: 'a\\b' }, { principalClaim: '名前' }, { requiredScopes: ['taiga read'] }, { requireTokenType: 'at+jwt; x' }]) {
    assert.throws(oauth(bad), (e: TaigaMcpError) => e.code === 'CONFIG_INVALID', JSON.stringify(bad));
  }
  assert.doesNotThrow(oauth({ principalClaim: 'https://example.com/claims/user', requiredScopes: ['taiga:read'], requireTokenType: 'application/at+jwt' }));
});
