import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinPlugins } from '../../plugins/index.js';
import { checkPlugins } from '../../core/plugin/loader.js';
import { pluginProblems } from '../../core/testing/index.js';
import { describeTool } from '../../core/tool-schemas.js';
import { ERROR_CATALOG } from '../../core/errors.js';

const SNAPS = fileURLToPath(new URL('../../../test/toolsnaps/', import.meta.url));
const allTools = builtinPlugins.flatMap((p) => p.tools);

test('built-in plugins load together and every tool conforms', () => {
  assert.doesNotThrow(() => checkPlugins(builtinPlugins));
  assert.deepEqual(builtinPlugins.flatMap(pluginProblems), []);
});

test('tool names are unique and include every name the product requires', () => {
  const names = allTools.map((t) => t.name);
  assert.equal(new Set(names).size, names.length);
  const seven = (name: string, plural: string) => [`list_${plural}`, `get_${name}`, `create_${name}`, `update_${name}`, `delete_${name}`, `assign_${name}`, `unassign_${name}`];
  const required = [
    'login', 'logout', 'session_status', 'list_projects', 'get_project', 'create_project', 'update_project', 'delete_project', 'invite_project_user', 'remove_project_member',
    ...seven('user_story', 'user_stories'), ...seven('task', 'tasks'), ...seven('issue', 'issues'), ...seven('epic', 'epics'),
    'bulk_create_user_stories', 'bulk_update_user_stories', 'bulk_create_tasks', 'bulk_update_tasks', 'bulk_create_issues', 'bulk_update_issues',
    'promote_issue_to_user_story', 'list_epic_user_stories', 'add_user_story_to_epic', 'remove_user_story_from_epic',
  ];
  assert.deepEqual(required.filter((n) => !names.includes(n)), []);
});

test('annotations: list_/get_ read-only; delete_ destructive; every hint present', () => {
  for (const t of allTools) {
    if (/^(list|get)_/.test(t.name)) assert.equal(t.annotations.readOnlyHint, true, t.name);
    if (/^(delete|remove)_/.test(t.name)) assert.equal(t.annotations.destructiveHint, true, t.name);
  }
});

test('schemas: no top-level anyOf/oneOf/allOf; unknown fields refused', () => {
  for (const t of allTools) {
    const d = describeTool(t);
    for (const k of ['anyOf', 'oneOf', 'allOf']) assert.ok(!(k in d.inputSchema) && !(k in (d.outputSchema ?? {})), `${t.name} ${k}`);
    // Refused by the server (a strict object), not advertised: see SERVER_ONLY in core/tool-schemas.ts.
    assert.equal(t.input.type, 'strict_object', t.name);
    assert.ok(!('additionalProperties' in d.inputSchema), t.name);
  }
  // A map says it is an object; its values' type is the server's to check (points by role label).
  const points = (describeTool(allTools.find((t) => t.name === 'update_user_story')!).inputSchema.properties as Record<string, unknown>)['points'];
  assert.deepEqual(points, { type: 'object' });
});

/** Snapshots of what each tool advertises: a schema change is a deliberate, reviewed change. */
test('tool schema snapshots (UPDATE_TOOLSNAPS=1 rewrites them)', () => {
  const update = process.env['UPDATE_TOOLSNAPS'] === '1';
  for (const t of allTools) {
    const file = `${SNAPS}${t.name}.json`;
    const actual = JSON.stringify(sortKeys(describeTool(t)), null, 2) + '\n';
    if (update || (!existsSync(file) && !process.env['CI'])) writeFileSync(file, actual);
    assert.ok(existsSync(file), `missing snapshot ${t.name}.json (run with UPDATE_TOOLSNAPS=1)`);
    assert.equal(actual, readFileSync(file, 'utf8'), `${t.name} schema changed; review and run with UPDATE_TOOLSNAPS=1`);
  }
  const stale = readdirSync(SNAPS).filter((f) => !allTools.some((t) => `${t.name}.json` === f));
  assert.deepEqual(stale, [], 'snapshots of tools that no longer exist');
});

test('the error catalog: stable upper-case codes, each with a hint', () => {
  for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
    assert.match(code, /^[A-Z_]+$/);
    assert.ok(entry.hint.length > 0 && entry.message.length > 0, code);
  }
  for (const code of ['INVALID_INPUT', 'SESSION_INVALID', 'SESSION_EXPIRED', 'RATE_LIMITED', 'NOT_FOUND', 'PERMISSION_DENIED', 'VERSION_CONFLICT', 'TAIGA_UNAVAILABLE', 'TIMEOUT', 'INTERNAL']) {
    assert.ok(code in ERROR_CATALOG, code);
  }
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  return value;
}
