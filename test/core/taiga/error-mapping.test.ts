import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapTaigaResponseError } from '../../../core/taiga/error-mapping.js';
import { classifyTransportError } from '../../../core/taiga/transport-errors.js';
import type { TaigaMcpError } from '../../../core/errors.js';
import { fixture } from './fake-taiga.js';

const ctx = (path: string, method = 'GET') => ({ method, path });

/** Maps a recorded exchange the way the client does (JSON body, or undefined for HTML). */
function mapFixture(group: string, name: string, path: string, method = 'GET'): TaigaMcpError {
  const { status, headers, body } = fixture(group, name);
  const isHtml = (headers['content-type'] ?? '').includes('text/html');
  return mapTaigaResponseError(status, headers, isHtml ? undefined : body, ctx(path, method));
}

test('400 {version: string} → VERSION_CONFLICT with taiga_message', () => {
  const e = mapFixture('occ', 'us-patch-stale-same-field', '/userstories/2', 'PATCH');
  assert.equal(e.code, 'VERSION_CONFLICT');
  assert.deepEqual(e.details, { taiga_message: "The version doesn't match with the current one" });
});

test('400 {version: [string]} → VERSION_CONFLICT too', () => {
  const e = mapFixture('occ', 'us-patch-version-null', '/userstories/2', 'PATCH');
  assert.equal(e.code, 'VERSION_CONFLICT');
  assert.deepEqual(e.details, { taiga_message: 'This field cannot be null.' });
});

test('400 field dict → TAIGA_REJECTED with details.fields', () => {
  const e = mapFixture('errors', 'create-us-empty-body-json', '/userstories', 'POST');
  assert.equal(e.code, 'TAIGA_REJECTED');
  assert.deepEqual(e.details, { fields: { project: 'This field is required.', subject: 'This field is required.' } });
  assert.match(e.message, /project, subject/);

  const nonField = mapFixture('errors', 'create-us-body-is-array', '/userstories', 'POST');
  assert.deepEqual(nonField.details, { fields: { non_field_errors: 'Invalid data' } });

  const all = mapTaigaResponseError(400, {}, { __all__: ['Duplicate name', 'Another'] }, ctx('/wiki', 'POST'));
  assert.deepEqual(all.details, { fields: { __all__: 'Duplicate name; Another' } });

  // A version error next to other field errors is a validation problem, not a conflict.
  const mixed = mapTaigaResponseError(400, {}, { version: ['Enter a whole number.'], subject: ['Too long'] }, ctx('/userstories/1', 'PATCH'));
  assert.equal(mixed.code, 'TAIGA_REJECTED');
});

test('400 field dict: messages cut to 200 chars, at most 20 fields', () => {
  const body: Record<string, string[]> = {};
  for (let i = 0; i < 25; i += 1) body[`f${i}`] = ['x'.repeat(500)];
  const e = mapTaigaResponseError(400, {}, body, ctx('/userstories', 'POST'));
  const fields = e.details?.['fields'] as Record<string, string>;
  assert.equal(Object.keys(fields).length, 20);
  assert.ok(Object.values(fields).every((m) => m.length <= 200));
  assert.equal(e.details?.['fields_omitted'], 5);
});

test('400 {_error_message} / bare string / {error} → TAIGA_REJECTED with the message', () => {
  const parse = mapFixture('errors', 'create-us-invalid-json', '/userstories', 'POST');
  assert.equal(parse.code, 'TAIGA_REJECTED');
  assert.match(parse.message, /JSON parse error/);
  assert.ok(!parse.message.includes('taiga.base.exceptions'));

  const bare = mapFixture('errors', 'by-ref-missing-ref', '/userstories/by_ref');
  assert.equal(bare.code, 'TAIGA_REJECTED');
  assert.match(bare.message, /ref param is needed/);

  const error = mapTaigaResponseError(400, {}, { error: 'Something odd' }, ctx('/x', 'POST'));
  assert.equal(error.code, 'TAIGA_REJECTED');
  assert.match(error.message, /Something odd/);

  const long = mapTaigaResponseError(400, {}, { _error_message: 'y'.repeat(1000) }, ctx('/x', 'POST'));
  assert.ok(long.message.length <= 330);
});

test('401 → AUTH_FAILED with details.taiga_code', () => {
  assert.deepEqual(mapFixture('auth', 'login-wrong-password', '/auth', 'POST').details, { taiga_code: 'invalid_credentials' });
  const expired = mapFixture('auth', 'users-me-invalid-token', '/users/me');
  assert.equal(expired.code, 'AUTH_FAILED');
  assert.deepEqual(expired.details, { taiga_code: 'token_not_valid' });
  assert.deepEqual(mapFixture('auth', 'users-me-bearer-three-parts', '/users/me').details, { taiga_code: 'bad_authorization_header' });
  assert.deepEqual(mapFixture('auth', 'users-me-missing-token', '/users/me').details, { taiga_code: 'not_authenticated' });
});

test('403 → PERMISSION_DENIED; "Archived element" is kept', () => {
  const plain = mapFixture('errors', 'patch-unknown-userstory-member', '/userstories/999999', 'PATCH');
  assert.equal(plain.code, 'PERMISSION_DENIED');
  const archived = mapTaigaResponseError(403, {}, { _error_message: 'Archived element', _error_type: 'taiga.base.exceptions.PermissionDenied' }, ctx('/userstories/1', 'PATCH'));
  assert.equal(archived.code, 'PERMISSION_DENIED');
  assert.match(archived.message, /Archived element/);
  assert.equal(mapTaigaResponseError(403, {}, undefined, ctx('/auth/verify', 'POST')).code, 'PERMISSION_DENIED');
});

test('451 → PERMISSION_DENIED saying the project is blocked', () => {
  const e = mapFixture('permissions', 'blocked-patch-story', '/userstories/99', 'PATCH');
  assert.equal(e.code, 'PERMISSION_DENIED');
  assert.match(e.message, /project is blocked/);
});

test('404 → NOT_FOUND naming the resource from the path', () => {
  const e = mapFixture('errors', 'get-unknown-userstory', '/userstories/99');
  assert.equal(e.code, 'NOT_FOUND');
  assert.equal(e.message, 'User story 99 was not found or is not visible to you.');
  assert.deepEqual(e.details, { resource: 'userstories', id: '99' });

  const html = mapFixture('pagination', 'unknown-endpoint', '/no-such-endpoint');
  assert.equal(html.code, 'NOT_FOUND');
  assert.ok(!html.message.includes('<'));
  assert.equal(html.details?.['endpoint_unknown'], true);

  // A page past the end is a bad argument, not a missing object: the hint must not say "check the id".
  const page = mapFixture('pagination', 'list-page-beyond-last', '/userstories');
  assert.equal(page.code, 'INVALID_INPUT');
  assert.match(page.message, /past the last page/);
  assert.deepEqual(page.details, { fields: { page: 'past the last page' } });
  assert.doesNotMatch(page.hint, /id, ref or name/);
});

test('405 / 406 / 415 → INTERNAL (our bug)', () => {
  assert.equal(mapFixture('errors', 'put-on-list', '/userstories', 'PUT').code, 'INTERNAL');
  assert.equal(mapFixture('errors', 'accept-text-html', '/userstories/1').code, 'INTERNAL');
  assert.equal(mapFixture('errors', 'create-us-unsupported-content-type', '/userstories', 'POST').code, 'INTERNAL');
});

test('429 → RATE_LIMITED with retry_after_seconds from X-Throttle-Wait-Seconds', () => {
  const body = { _error_message: 'Request was throttled.Expected available in 59 seconds.', _error_type: 'taiga.base.exceptions.Throttled' };
  const e = mapTaigaResponseError(429, { 'x-throttle-wait-seconds': '60' }, body, ctx('/userstories'));
  assert.equal(e.code, 'RATE_LIMITED');
  assert.deepEqual(e.details, { retry_after_seconds: 60, source: 'taiga' });
  // Without the header, the (truncated) number in the message, rounded up.
  assert.equal(mapTaigaResponseError(429, {}, body, ctx('/userstories')).details?.['retry_after_seconds'], 60);
});

test('5xx with any body → TAIGA_UNAVAILABLE with details.status and no body text', () => {
  const html = mapTaigaResponseError(500, { 'content-type': 'text/html' }, undefined, ctx('/userstories'));
  assert.equal(html.code, 'TAIGA_UNAVAILABLE');
  assert.deepEqual(html.details, { status: 500 });
  const json = mapTaigaResponseError(503, {}, { error: 'Server application error' }, ctx('/userstories'));
  assert.equal(json.code, 'TAIGA_UNAVAILABLE');
  assert.ok(!json.message.includes('Server application error'));
});

test('messages never carry token-looking strings', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjo1fQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const e = mapTaigaResponseError(400, {}, { _error_message: `bad token ${jwt} or Bearer abc.def` }, ctx('/x', 'POST'));
  assert.ok(!e.message.includes(jwt));
  assert.ok(!e.message.includes('abc.def'));
});

test('only a failure on the way to Taiga is TAIGA_UNAVAILABLE; a module that cannot load, or a bad argument, is INTERNAL', () => {
  const classify = (code: string) => classifyTransportError(Object.assign(new Error('x'), { code }), 1000);
  for (const code of ['ECONNRESET', 'EHOSTDOWN', 'ENETDOWN', 'EPROTO', 'UND_ERR_SOCKET', 'UND_ERR_RESPONSE_STATUS_CODE', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']) {
    assert.equal(classify(code).error.code, 'TAIGA_UNAVAILABLE', code);
  }
  for (const code of ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_URL', 'INTERNAL', 'E', 'e_conn', 'ECONNRESET ', 'XUND_ERR_SOCKET']) {
    const { error, retryable } = classify(code);
    assert.equal(error.code, 'INTERNAL', code);
    assert.equal(retryable, false, code);
    assert.doesNotMatch(error.message, /reach Taiga/, code);
  }
  // One `cause` deep, as undici wraps them.
  assert.equal(classifyTransportError(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ERR_MODULE_NOT_FOUND' }) }), 1000).error.code, 'INTERNAL');
});
