import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { CLI, startHarness, dataOf, errorOf } from '../helpers/stdio-harness.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => emulator.close());

const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TAIGA_') && k !== 'NODE_TEST_CONTEXT' && k !== 'REDIS_URL')) as Record<string, string>;
const taiga = () => ({ TAIGA_API_URL: emulator.url, ALLOW_HTTP_TAIGA: 'true' });

function check(env: Record<string, string>): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'check'], { env: { ...BASE_ENV, LOG_LEVEL: 'silent', ...taiga(), ...env }, cwd: '/' });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

async function accessToken(): Promise<{ access: string; refresh: string }> {
  const res = await fetch(`${emulator.apiUrl}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'normal', username: 'user2', password: '123123' }) });
  const body = (await res.json()) as { auth_token: string; refresh: string };
  return { access: body.auth_token, refresh: body.refresh };
}

test('an application token is sent with its own scheme, lasts, and check says so', async () => {
  const token = emulator.applicationToken('user2');
  const h = await startHarness({ emulator, credentials: false, env: { TAIGA_APPLICATION_TOKEN: token } });
  try {
    emulator.expireAccessTokens();
    const page = dataOf<{ items: unknown[] }>(await h.call('list_projects', {}));
    assert.ok(page.items.length > 0);
    assert.ok(emulator.requests.some((r) => r.path === '/api/v1/projects' && r.authorized));
  } finally {
    await h.close();
  }
  const out = await check({ TAIGA_APPLICATION_TOKEN: token });
  assert.equal(out.status, 0, out.stdout);
  assert.match(out.stdout, /application token accepted \(user user2\)/);
  assert.match(out.stdout, /✓ An application token lasts until it is revoked in Taiga/);
});

test('an access token: check says when it expires and what to configure instead; after expiry the error does too', async () => {
  const { access } = await accessToken();
  const out = await check({ TAIGA_TOKEN: access });
  assert.equal(out.status, 0, out.stdout);
  assert.match(out.stdout, /! An access token lasts 24 h and cannot be renewed; this one expires \d{4}-\d\d-\d\dT[\d:.]+Z \(in 24 h\)\. Configure TAIGA_APPLICATION_TOKEN/);
  const h = await startHarness({ emulator, credentials: false, env: { TAIGA_TOKEN: access } });
  try {
    dataOf(await h.call('list_projects', {}));
    emulator.expireAccessTokens();
    const err = errorOf(await h.call('list_projects', {}));
    assert.equal(err.code, 'AUTH_FAILED');
    assert.match(err.message, /expired: access tokens last 24 h/);
    assert.match(String(err.hint), /TAIGA_APPLICATION_TOKEN .*TAIGA_USERNAME and TAIGA_PASSWORD/);
  } finally {
    await h.close();
  }
});

test('a refresh token keeps working across restarts: its newest rotation is kept in a 0600 file', async () => {
  const { refresh } = await accessToken();
  const file = join(mkdtempSync(join(tmpdir(), 'taiga-mcp-rt-')), 'state', 'refresh-tokens.json');
  const env = { TAIGA_REFRESH_TOKEN: refresh, TAIGA_REFRESH_TOKEN_FILE: file };
  for (let run = 0; run < 3; run++) {
    const h = await startHarness({ emulator, credentials: false, env });
    try {
      dataOf(await h.call('list_projects', {}));
      emulator.expireAccessTokens();
      dataOf(await h.call('list_projects', {}));
    } finally {
      await h.close();
    }
  }
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.doesNotMatch(readFileSync(file, 'utf8'), new RegExp(refresh.slice(-20)), 'the configured token is spent; the file holds its successor');
  const out = await check(env);
  assert.match(out.stdout, /! A refresh token lasts 8 days from its last use/);
});

test('with no account configured, the hint says what to put in the client config, never "send a password"', async () => {
  const h = await startHarness({ emulator, credentials: false });
  try {
    const err = errorOf(await h.call('list_projects', {}));
    assert.equal(err.code, 'AUTH_REQUIRED');
    assert.match(String(err.hint), /TAIGA_APPLICATION_TOKEN \(or TAIGA_USERNAME and TAIGA_PASSWORD\).*MCP client config/);
    assert.match(String(err.hint), /Never ask for a password/);
    assert.doesNotMatch(`${err.message} ${err.hint}`, /call login/i);
  } finally {
    await h.close();
  }
});
