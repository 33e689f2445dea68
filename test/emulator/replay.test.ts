// Replays the recorded taiga-back 6.7.3 exchanges against the emulator and
// compares status, key headers and body shapes (see replay-support.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from './index.js';
import { deepEqual, learnIds, loadGroups, multipartBody, shapeDiff, translateIds, type Exchange } from './replay-support.js';
import { KNOWN_DIVERGENCES, NOT_EMULATED, NOT_EMULATED_GROUPS } from './replay-skips.js';

const COMPARED_HEADERS = ['content-type', 'x-pagination-count', 'x-paginated', 'x-paginated-by', 'x-pagination-current', 'www-authenticate', 'allow'];
const PRESENCE_HEADERS = ['x-pagination-next', 'x-pagination-prev'];

let emu: Emulator;
before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu.close();
});

/** Per-group replay session: logged-in tokens and the responses captured by exchange name. */
class Session {
  private tokens = new Map<string, string>();
  readonly captured = new Map<string, Record<string, unknown>>();
  /** Recorded server-made ids → the emulator's (learnIds). */
  readonly ids = new Map<string, string>();
  constructor(private readonly emu: Emulator) {}

  async tokenOf(username: string): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    const res = await fetch(`${this.emu.apiUrl}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'normal', username, password: username === 'admin' ? 'taigaadmin' : '123123' }),
    });
    const body = (await res.json()) as { auth_token: string };
    this.tokens.set(username, body.auth_token);
    return body.auth_token;
  }

  /** `Bearer <token of admin>`, `<none>`, `Bearer <invalid>`, `Bearer <auth_token from X>`, literal values. */
  async authorization(recorded: string | undefined): Promise<string | undefined> {
    if (recorded === undefined || recorded === '<none>') return undefined;
    if (recorded === 'Bearer <invalid>') return 'Bearer invalid-token-value';
    let m = /^Bearer <token of (\w+)>$/.exec(recorded);
    if (m) return `Bearer ${await this.tokenOf(m[1]!)}`;
    m = /^Bearer <(auth_token|refresh token) from ([\w-]+)>$/.exec(recorded);
    if (m) {
      const body = this.captured.get(m[2]!);
      return `Bearer ${String(body?.[m[1] === 'auth_token' ? 'auth_token' : 'refresh'])}`;
    }
    return recorded;
  }
}

/** Which captured token a `<refresh>`/`<jwt>` placeholder in a request body stands for. */
const BODY_TOKENS: Record<string, { from: string; key: 'refresh' | 'auth_token' }> = {
  'refresh-ok': { from: 'login-ok', key: 'refresh' },
  'refresh-reused': { from: 'login-ok', key: 'refresh' },
  'refresh-new-token-ok': { from: 'refresh-ok', key: 'refresh' },
  'refresh-with-access-token': { from: 'login-ok', key: 'auth_token' },
  'verify-endpoint': { from: 'login-ok', key: 'auth_token' },
};

/** Invitation tokens reach the invitee by e-mail, never in a response: the membership each recorded token belongs to. */
const MAILED_TOKENS: Record<string, { token: string; membership: number }> = {
  'invitation-by-token': { token: '9d2b9faa-e55a-11f1-82ee-02fc00000001', membership: 98 },
};

async function replay(session: Session, ex: Exchange): Promise<string[]> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(ex.request.headers)) if (k !== 'Authorization') headers[k] = v;
  const auth = await session.authorization(ex.request.headers['Authorization']);
  if (auth !== undefined) headers['Authorization'] = auth;
  let body: string | undefined;
  if (ex.request.raw_body !== undefined) body = ex.request.raw_body;
  else if (ex.request.multipart) {
    const mp = multipartBody(ex.request.multipart, ex.request.headers['Content-Type'] ?? 'multipart/form-data; boundary=<boundary>');
    body = mp.body;
    headers['Content-Type'] = mp.contentType;
  } else if (ex.request.body !== null && ex.request.body !== undefined) {
    body = translateIds(JSON.stringify(ex.request.body), session.ids);
    const token = BODY_TOKENS[ex.name];
    if (token) body = body.replace(/<refresh>|<jwt>/g, String(session.captured.get(token.from)?.[token.key]));
  }
  let path = translateIds(ex.request.path, session.ids);
  const mailed = MAILED_TOKENS[ex.name];
  if (mailed) path = path.replace(mailed.token, emu.invitationToken(mailed.membership) ?? 'no-such-invitation');
  const res = await fetch(`${emu.apiUrl}${path}`, { method: ex.request.method, headers, body });
  const text = await res.text();
  const problems: string[] = [];
  const expected = ex.response;
  if (res.status !== expected.status) problems.push(`status ${res.status}, expected ${expected.status}: ${text.slice(0, 300)}`);
  for (const h of COMPARED_HEADERS) {
    const actual = res.headers.get(h) ?? undefined;
    if (actual !== expected.headers[h]) problems.push(`header ${h}: ${actual}, expected ${expected.headers[h]}`);
  }
  for (const h of PRESENCE_HEADERS) {
    if (res.headers.has(h) !== (h in expected.headers)) problems.push(`header ${h} presence: ${res.headers.has(h)}`);
  }
  const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
  const actualBody: unknown = text === '' ? null : isJson ? JSON.parse(text) : { text };
  if (isJson && actualBody && typeof actualBody === 'object') session.captured.set(ex.name, actualBody as Record<string, unknown>);
  if (res.status < 400) learnIds(expected.body, actualBody, session.ids);
  if (expected.status >= 400) {
    if (!deepEqual(actualBody, expected.body)) problems.push(`error body ${text.slice(0, 300)}, expected ${JSON.stringify(expected.body)}`);
  } else {
    const length = Array.isArray(expected.body) ? (expected.truncated_from ?? expected.body.length) : undefined;
    problems.push(...shapeDiff(expected.body, actualBody, '$', length));
  }
  return problems;
}

test('replay of the taiga-back 6.7.3 fixtures', async (t) => {
  const groups = loadGroups();
  const failures: string[] = [];
  let replayed = 0;
  const skipped: string[] = [];
  for (const [group, exchanges] of groups) {
    if (NOT_EMULATED_GROUPS.has(group)) {
      skipped.push(...exchanges.map((e) => `${group}/${e.name}`));
      continue;
    }
    emu.reset();
    const session = new Session(emu);
    for (const ex of exchanges) {
      const id = `${group}/${ex.name}`;
      if (NOT_EMULATED.has(id) || KNOWN_DIVERGENCES.has(id)) {
        skipped.push(id);
        continue;
      }
      replayed += 1;
      const problems = await replay(session, ex);
      if (problems.length) failures.push(`${id} (${ex.request.method} ${ex.request.path}):\n    ${problems.join('\n    ')}`);
    }
  }
  for (const id of [...NOT_EMULATED, ...KNOWN_DIVERGENCES]) {
    const [group, name] = id.split('/');
    assert.ok(groups.get(group!)?.some((e) => e.name === name), `skip list names an unknown exchange: ${id}`);
  }
  t.diagnostic(`replayed ${replayed} exchanges, skipped ${skipped.length} (not emulated or known divergences)`);
  console.log(`replayed ${replayed}, skipped ${skipped.length}, failed ${failures.length}`);
  assert.equal(failures.length, 0, `mismatching exchanges:\n  ${failures.join('\n  ')}`);
});
