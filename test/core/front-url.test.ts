import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivedFrontUrl, frontLink, normaliseFrontUrl } from '../../core/taiga/front-url.js';
import { TaigaMcpError } from '../../core/errors.js';

test('the front-end of a Taiga is derived from its API URL; taiga.io has a host of its own', () => {
  assert.equal(derivedFrontUrl('https://taiga.example.com/api/v1'), 'https://taiga.example.com');
  assert.equal(derivedFrontUrl('https://example.com/taiga/api/v1'), 'https://example.com/taiga');
  assert.equal(derivedFrontUrl('https://api.taiga.io/api/v1'), 'https://tree.taiga.io');
});

test('a configured front-end URL: http(s) only, no credentials, query or fragment; no trailing slash', () => {
  assert.equal(normaliseFrontUrl(' https://front.example.com/taiga/ '), 'https://front.example.com/taiga');
  for (const bad of ['front.example.com', 'javascript:alert(1)', 'ftp://front.example.com', 'https://u:p@front.example.com', 'https://front.example.com/?a=1', 'https://front.example.com/#x']) {
    assert.throws(() => normaliseFrontUrl(bad), (e: unknown) => e instanceof TaigaMcpError && e.code === 'CONFIG_INVALID' && !e.message.includes(bad), bad);
  }
});

test('a link is one token: the project slug and the key are percent-encoded', () => {
  assert.equal(frontLink('https://t.example', 'project-1', 'user_story', 5), 'https://t.example/project/project-1/us/5');
  assert.equal(frontLink('https://t.example', 'a b"<x>', 'wiki_page', 'home page'), 'https://t.example/project/a%20b%22%3Cx%3E/wiki/home%20page');
  assert.equal(frontLink('https://t.example', 'p', 'issue', '{ref}'), 'https://t.example/project/p/issue/{ref}');
});
