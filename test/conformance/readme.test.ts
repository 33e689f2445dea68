import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateConfig } from '../../core/config/load.js';
import { runToolsListing } from '../../core/cli-commands.js';
import { ENV_KEYS } from '../../core/config/schema.js';
import { ERROR_CATALOG } from '../../core/errors.js';
import { CLI, ROOT } from '../helpers/stdio-harness.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('the README tool table is the one generated from the code', async () => {
  let generated = '';
  await runToolsListing(validateConfig({}), { all: true, json: false, markdown: true }, (t) => (generated += t));
  const inReadme = README.split('<!-- tools:start -->')[1]?.split('<!-- tools:end -->')[0]?.trim();
  assert.equal(inReadme, generated.trim(), 'regenerate with: node dist/core/taiga-mcp.mjs tools --all --markdown');
  const rows = generated.split('\n').filter((line) => line.startsWith('| `'));
  const toolsets = new Set(rows.map((line) => line.split(' | ')[1]!.replace(' (opt-in)', '')));
  assert.match(README, new RegExp(`\\n${rows.length} tools in ${toolsets.size} toolsets\\. Generated from the code`), 'the count above the table');
});

test('the README documents every environment variable and every tool error code', () => {
  for (const name of Object.keys(ENV_KEYS)) assert.ok(README.includes(name), name);
  for (const [code, entry] of Object.entries(ERROR_CATALOG)) assert.ok(README.includes(`\`${code}\``), `${code} (${entry.kind})`);
});

test('the README shows the set-up, run and test commands', () => {
  for (const cmd of ['npm ci', 'npm start', 'npm test', 'npm run bench']) assert.ok(README.includes(cmd), cmd);
});

test("every command in the README runs what package.json's bin names (the tested one)", () => {
  // `node <file>`, and a client config's `"args": ["<file>"]`, in this checkout or at /absolute/path/to/taiga-mcp/.
  const run = [...README.matchAll(/(?:\bnode |"args": \[")(?:\/absolute\/path\/to\/taiga-mcp\/)?(\S+?\.m?js)\b/g)].map((m) => m[1]!);
  assert.ok(run.length >= 5, `commands found: ${run.join(', ')}`);
  for (const path of run) assert.equal(`${ROOT}${path}`, CLI, `the README runs ${path}`);
});
