import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentionedNames } from '../../core/resolve/mentions.js';

test('a mention is an @ not after a word character, and ends on one (taiga-back\'s \\B@[\\w.-]+\\b)', () => {
  assert.deepEqual(mentionedNames('ping @ann, and @bob.'), ['ann', 'bob']);
  assert.deepEqual(mentionedNames('@first.last-2 starts the text'), ['first.last-2']);
  assert.deepEqual(mentionedNames('write to bob@example.com or x_@y'), [], 'an address is not a mention');
  assert.deepEqual(mentionedNames('(@ann) and @ann again; @Émile'), ['ann', 'Émile'], 'each once; letters beyond ASCII');
  assert.deepEqual(mentionedNames('a lone @ or @- or @.'), []);
});

test('code is not rendered as a mention: inline spans and fenced blocks are skipped', () => {
  assert.deepEqual(mentionedNames('run `npm i @scope/pkg` then tell @ann'), ['ann']);
  assert.deepEqual(mentionedNames('```\n@decorator\ndef f(): pass\n```\n@bob'), ['bob']);
  assert.deepEqual(mentionedNames('~~~\n@decorator\n~~~'), []);
});
