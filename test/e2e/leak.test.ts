import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newApiKey } from '../../core/http/auth/api-keys.js';

const SUITES = ['sessions', 'projects', 'user-stories', 'work-items', 'credentials', 'bad-input', 'http-auth', 'http-redis'].map((n) => fileURLToPath(new URL(`./${n}.test.js`, import.meta.url)));
const PASSWORDS = ['taigaadmin', '123123', 'wrong-password-xyz'];
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
const API_KEY_PREFIX = newApiKey().key.slice(0, 5);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;

/**
 * Runs the end-to-end suites again with every byte the servers print (stderr logs) and
 * every tool result kept, then looks for secrets in them.
 */
test('no password, token or full session id in anything the server printed', { timeout: 300_000 }, () => {
  const transcript = join(mkdtempSync(join(tmpdir(), 'taiga-mcp-leak-')), 'transcript.log');
  // NODE_TEST_CONTEXT would make the inner runner report to ours instead of running.
  const { NODE_TEST_CONTEXT: _outer, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...SUITES], { env: { ...env, TAIGA_MCP_TRANSCRIPT: transcript }, encoding: 'utf8', timeout: 280_000 });
  assert.equal(run.status, 0, `the suites must pass first:\n${run.stdout.slice(-2000)}`);
  assert.ok(existsSync(transcript));
  const text = readFileSync(transcript, 'utf8');
  assert.match(text, /"msg":"session created"/, 'the transcript holds the server logs');
  assert.match(text, /"structuredContent"/, 'the transcript holds the tool results');

  // A password is a word of its own: 123123 inside a metric's 0.011231231 is not one.
  for (const password of PASSWORDS) assert.doesNotMatch(text, new RegExp(`(?<!\\w)${password}(?!\\w)`), `password ${password} leaked`);
  assert.doesNotMatch(text, JWT, 'a Taiga token leaked');
  assert.doesNotMatch(text, /Bearer [A-Za-z0-9]/, 'an Authorization header leaked');
  assert.doesNotMatch(text, /Application [A-Za-z0-9]/, 'an application token leaked');
  assert.match(text, /"taiga-mcp ready on http"/, 'the transcript holds HTTP servers too');
  // HTTP API keys: the tests' keys go out in Authorization headers only; a server never prints one.
  assert.doesNotMatch(text, new RegExp(`${API_KEY_PREFIX}[A-Za-z0-9_-]{20,}`), 'an API key leaked');

  const lines = text.split('\n');
  const sessionIds = new Set<string>();
  for (const line of lines) if (line.includes('"session_id"') && line.includes('Logged in as')) for (const id of line.match(UUID) ?? []) sessionIds.add(id);
  assert.ok(sessionIds.size > 0, 'the suites logged in');
  for (const line of lines) {
    if (line.includes('Logged in as')) continue; // login must hand its session id to the client
    for (const id of sessionIds) assert.ok(!line.includes(id), `full session id ${id.slice(0, 8)}… printed: ${line.slice(0, 200)}`);
  }
});
