import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseBaseUrl, originOf } from '../../../core/taiga/base-url.js';
import { TaigaMcpError } from '../../../core/errors.js';

const accepted: Array<[input: string, expected: string]> = [
  ['https://taiga.example.com', 'https://taiga.example.com/api/v1'],
  ['https://taiga.example.com/', 'https://taiga.example.com/api/v1'],
  ['https://taiga.example.com/api/v1', 'https://taiga.example.com/api/v1'],
  ['https://taiga.example.com/api/v1/', 'https://taiga.example.com/api/v1'],
  ['https://taiga.example.com/api/v1//', 'https://taiga.example.com/api/v1'],
  ['https://taiga.example.com/api', 'https://taiga.example.com/api/v1'],
  ['https://example.com/taiga', 'https://example.com/taiga/api/v1'],
  ['https://example.com/taiga/', 'https://example.com/taiga/api/v1'],
  ['https://example.com/taiga/api/v1/', 'https://example.com/taiga/api/v1'],
  ['  https://TAIGA.Example.com:443/  ', 'https://taiga.example.com/api/v1'],
  ['https://taiga.example.com:8443', 'https://taiga.example.com:8443/api/v1'],
  ['https://[::1]:8443/', 'https://[::1]:8443/api/v1'],
];

test('normaliseBaseUrl: accepted forms all give the API root without a trailing slash', () => {
  for (const [input, expected] of accepted) {
    assert.equal(normaliseBaseUrl(input, { allowHttp: false }), expected, input);
  }
});

test('normaliseBaseUrl: http is accepted only with allowHttp', () => {
  assert.equal(normaliseBaseUrl('http://localhost:8000', { allowHttp: true }), 'http://localhost:8000/api/v1');
  assert.throws(
    () => normaliseBaseUrl('http://localhost:8000', { allowHttp: false }),
    (e: unknown) => e instanceof TaigaMcpError && e.code === 'CONFIG_INVALID' && /https/.test(e.message) && /ALLOW_HTTP_TAIGA=true/.test(e.message),
  );
});

const rejected: Array<[input: string, why: RegExp]> = [
  ['', /empty/],
  ['taiga.example.com', /not a valid URL/],
  ['not a url', /not a valid URL/],
  ['ftp://taiga.example.com', /https/],
  ['javascript:alert(1)', /https/],
  ['https://user:s3cret@taiga.example.com', /username or password/],
  ['https://taiga.example.com/?x=1', /query/],
  ['https://taiga.example.com/#frag', /fragment/],
  ['https://taiga.example.com/api/v2', /v1/],
];

test('normaliseBaseUrl: rejected inputs throw CONFIG_INVALID without echoing the input', () => {
  for (const [input, why] of rejected) {
    assert.throws(
      () => normaliseBaseUrl(input, { allowHttp: true }),
      (e: unknown) => e instanceof TaigaMcpError && e.code === 'CONFIG_INVALID' && why.test(e.message) && !e.message.includes('s3cret'),
      input,
    );
  }
});

test('originOf gives scheme://host[:port] and rejects non-URLs', () => {
  assert.equal(originOf('https://Example.com:443/taiga/api/v1'), 'https://example.com');
  assert.equal(originOf('http://127.0.0.1:8000/api/v1'), 'http://127.0.0.1:8000');
  assert.throws(() => originOf('nope'), (e: unknown) => e instanceof TaigaMcpError && e.code === 'CONFIG_INVALID');
});
