import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';

/**
 * The bad-input matrix: every tool, every kind of bad input, answered with a coded error
 * and no write reaching Taiga. Valid arguments per tool are listed here; a new tool
 * without an entry fails the first test.
 */
const VALID: Record<string, Record<string, unknown>> = {
  login: { username: 'user1', password: '123123' },
  logout: { session_id: '00000000-0000-4000-8000-000000000000' },
  session_status: { session_id: '00000000-0000-4000-8000-000000000000' },
  list_projects: { page: 1 },
  list_my_work: { kinds: ['tasks'] },
  get_project: { project_id: 1 },
  create_project: { name: 'p', description: 'd' },
  update_project: { project_id: 1, name: 'n' },
  delete_project: { project_id: 2 },
  invite_project_user: { project_id: 1, username: 'user1', role: 'Back' },
  remove_project_member: { project_id: 1, user_id: 'user2' },
  update_project_member: { project_id: 1, user_id: 'user2', role: 'Back' },
  invite_project_users: { project_id: 1, users: ['x@example.com'], role: 'Back' },
  resend_invitation: { project_id: 1, email: 'x@example.com' },
  get_me: {},
  list_user_stories: { project_id: 1 },
  get_user_story: { user_story_id: 2 },
  create_user_story: { project_id: 1, subject: 's' },
  update_user_story: { user_story_id: 2, subject: 's' },
  delete_user_story: { user_story_id: 2 },
  assign_user_story: { user_story_id: 2, user_id: 'me' },
  unassign_user_story: { user_story_id: 2 },
  bulk_create_user_stories: { project_id: 1, stories: [{ subject: 's' }] },
  bulk_update_user_stories: { project_id: 1, user_story_ids: [2], status: 'New' },
  ...workItem('task', 'tasks', { tasks: [{ subject: 's' }] }),
  ...workItem('issue', 'issues', { issues: [{ subject: 's' }] }),
  promote_issue_to_user_story: { issue_id: 2 },
  ...workItem('epic', 'epics'),
  list_epic_user_stories: { epic_id: 2 },
  add_user_story_to_epic: { epic_id: 2, user_story_id: 2 },
  remove_user_story_from_epic: { epic_id: 2, user_story_id: 2 },
  list_sprints: { project_id: 1 },
  get_sprint: { sprint_id: 1 },
  create_sprint: { project_id: 1, name: 's', start: '2030-01-01', finish: '2030-01-14' },
  update_sprint: { sprint_id: 1, name: 'n' },
  delete_sprint: { sprint_id: 1 },
  close_sprint: { sprint_id: 1 },
  move_user_stories_to_sprint: { project_id: 1, user_story_ids: [2], sprint: null },
  reorder_user_stories: { project_id: 1, user_story_ids: [5], sprint: null },
  get_timeline: { project_id: 1, since: '2020-01-01' },
  get_project_stats: { project_id: 1 },
  list_wiki_pages: { project_id: 1 },
  get_wiki_page: { wiki_page_id: 1 },
  create_wiki_page: { project_id: 1, slug: 's' },
  update_wiki_page: { wiki_page_id: 1, content: 'c' },
  delete_wiki_page: { wiki_page_id: 1 },
  add_wiki_link: { project_id: 1, title: 't' },
  remove_wiki_link: { project_id: 1, link: 1 },
  list_comments: { kind: 'user_story', item_id: 2 },
  add_comment: { kind: 'user_story', item_id: 2, comment: 'c' },
  edit_comment: { kind: 'user_story', item_id: 2, comment_id: 'x', comment: 'c' },
  delete_comment: { kind: 'user_story', item_id: 2, comment_id: 'x' },
  get_history: { kind: 'user_story', item_id: 2 },
  list_attachments: { kind: 'user_story', item_id: 2 },
  upload_attachment: { kind: 'user_story', item_id: 2, content_base64: 'aGk=', filename: 'a.txt' },
  download_attachment: { kind: 'user_story', attachment_id: 1 },
  delete_attachment: { kind: 'user_story', attachment_id: 1 },
  list_custom_attributes: { project_id: 1, kind: 'user_story' },
  get_custom_attribute_values: { kind: 'user_story', item_id: 2 },
  set_custom_attribute_values: { kind: 'user_story', item_id: 2, values: { 'maiores harum ipsa': true } },
  search: { project_id: 1, text: 'a' },
  watch: { kind: 'user_story', item_id: 2 },
  unwatch: { kind: 'user_story', item_id: 2 },
  edit_tags: { kind: 'user_story', item_id: 2, add: ['x'] },
  resolve_ref: { ref: '#5', project_id: 1 },
  list_project_settings: { project_id: 1, kind: 'priority' },
  set_project_setting: { project_id: 1, kind: 'priority', setting: 'High', name: 'n' },
  delete_project_setting: { project_id: 1, kind: 'priority', setting: 'High', move_to: 'Low' },
  add_watchers: { kind: 'user_story', item_id: 2, users: ['user2'] },
  list_watchers: { kind: 'user_story', item_id: 2 },
  vote: { kind: 'user_story', item_id: 2 },
  unvote: { kind: 'user_story', item_id: 2 },
  list_notifications: {},
  mark_notifications_read: { all: true },
  set_notify_level: { project_id: 1, level: 'all' },
};

/** Fields where a 1 MB string is a fair value (an upload's content): the other bad inputs still apply to them. */
const MEGABYTE_OK = new Set(['upload_attachment.content_base64']);

/** Valid arguments of the standard tools of a work-item kind, item 2 of project 1 as the target. */
function workItem(name: string, plural: string, bulkCreate?: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const target = { [`${name}_id`]: 2 };
  return {
    [`list_${plural}`]: { project_id: 1 },
    [`get_${name}`]: target,
    [`create_${name}`]: { project_id: 1, subject: 's' },
    [`update_${name}`]: { ...target, subject: 's' },
    [`delete_${name}`]: target,
    [`assign_${name}`]: { ...target, user_id: 'me' },
    [`unassign_${name}`]: target,
    ...(bulkCreate && {
      [`bulk_create_${plural}`]: { project_id: 1, ...bulkCreate },
      [`bulk_update_${plural}`]: { project_id: 1, [`${name}_ids`]: [2], status: 'New' },
    }),
  };
}
const MB = 'x'.repeat(1024 * 1024);

let h: Harness;
let tools: Tool[];
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
  tools = (await h.client.listTools()).tools;
});
after(async () => h.close());

type Schema = { type?: string | string[]; anyOf?: Schema[]; properties?: Record<string, Schema>; required?: string[] };
const props = (t: Tool) => Object.entries(((t.inputSchema as Schema).properties ?? {}) as Record<string, Schema>).filter(([k]) => k !== 'session_id' || t.name === 'logout' || t.name === 'session_status');
const types = (s: Schema): string[] => (s.anyOf ? s.anyOf.flatMap(types) : Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

async function expectRefused(name: string, args: Record<string, unknown>, codes: string[], label: string): Promise<void> {
  const writes = h.emulator.totalWrites;
  const result = await h.call(name, args);
  assert.equal(result.isError, true, `${name} ${label}: expected an error`);
  const err = errorOf(result);
  assert.ok(codes.includes(err.code), `${name} ${label}: got ${err.code} (${err.message})`);
  assert.ok(err.message.length < 500 && !/\bat .+\.js:\d+/.test(err.message), `${name} ${label}: message is short and has no stack`);
  assert.equal(h.emulator.totalWrites, writes, `${name} ${label}: a write reached Taiga`);
}

test('every tool has valid arguments listed for the matrix', () => {
  assert.deepEqual(tools.map((t) => t.name).filter((n) => !(n in VALID)), []);
});

test('wrong types, for every field of every tool', async () => {
  for (const tool of tools) {
    for (const [field, schema] of props(tool)) {
      const wrong = types(schema).includes('object') ? 'not-an-object' : types(schema).includes('array') ? { not: 'an array' } : { not: 'a scalar' };
      await expectRefused(tool.name, { ...VALID[tool.name], [field]: wrong }, ['INVALID_INPUT'], `wrong type for ${field}`);
    }
  }
});

test('missing required fields', async () => {
  for (const tool of tools) {
    for (const field of (tool.inputSchema as Schema).required ?? []) {
      const args = { ...VALID[tool.name] };
      delete args[field];
      await expectRefused(tool.name, args, ['INVALID_INPUT'], `missing ${field}`);
    }
  }
});

test('unknown fields', async () => {
  for (const tool of tools) await expectRefused(tool.name, { ...VALID[tool.name], zzz_unknown: 1 }, ['INVALID_INPUT'], 'unknown field');
});

test('a 1 MB string in every string field', async () => {
  for (const tool of tools) {
    for (const [field, schema] of props(tool)) {
      if (!types(schema).includes('string') || MEGABYTE_OK.has(`${tool.name}.${field}`)) continue;
      await expectRefused(tool.name, { ...VALID[tool.name], [field]: MB }, ['INVALID_INPUT'], `1 MB ${field}`);
    }
  }
});

test('zero and negative ids', async () => {
  for (const tool of tools) {
    for (const [field, schema] of props(tool)) {
      if (!types(schema).includes('integer')) continue;
      for (const id of [0, -1]) await expectRefused(tool.name, { ...VALID[tool.name], [field]: id }, ['INVALID_INPUT'], `${field}=${id}`);
    }
  }
});

test('stale versions: VERSION_CONFLICT, nothing written', async () => {
  for (const kind of ['user_story', 'task', 'issue', 'epic']) dataOf(await h.call(`update_${kind}`, { [`${kind}_id`]: 2, subject: 'bump the version' }));
  dataOf(await h.call('update_wiki_page', { wiki_page_id: 1, content: 'bump the version' }));
  dataOf(await h.call('set_custom_attribute_values', VALID['set_custom_attribute_values']!));
  for (const tool of tools.filter((t) => 'version' in ((t.inputSchema as Schema).properties ?? {}))) {
    await expectRefused(tool.name, { ...VALID[tool.name], version: 1 }, ['VERSION_CONFLICT'], 'stale version');
  }
});

test('unknown and expired sessions on every tool that takes one', async () => {
  const sessionTools = tools.filter((t) => t.name !== 'login' && 'session_id' in ((t.inputSchema as Schema).properties ?? {}));
  for (const tool of sessionTools) {
    await expectRefused(tool.name, { ...VALID[tool.name], session_id: '11111111-1111-4111-8111-111111111111' }, ['SESSION_INVALID'], 'unknown session');
  }
  const short = await startHarness({ emulator: h.emulator, env: { TAIGA_TOOLSETS: 'all', SESSION_EXPIRY: '1', TOOL_CALL_BURST: '100000' } });
  try {
    const { session_id } = dataOf<{ session_id: string }>(await short.call('login', { username: 'admin', password: 'taigaadmin' }));
    await new Promise((r) => setTimeout(r, 1100));
    for (const tool of sessionTools.filter((t) => t.name !== 'logout')) {
      const writes = h.emulator.totalWrites;
      const err = errorOf(await short.call(tool.name, { ...VALID[tool.name], session_id }));
      assert.equal(err.code, 'SESSION_EXPIRED', `${tool.name}: ${err.code}`);
      assert.equal(h.emulator.totalWrites, writes);
    }
  } finally {
    await short.close();
  }
});

test('Taiga unreachable: TAIGA_UNAVAILABLE, retryable', async () => {
  const down = await startHarness({ env: { TAIGA_API_URL: 'http://127.0.0.1:9' } });
  try {
    const err = errorOf(await down.call('list_projects', {}));
    assert.equal(err.code, 'TAIGA_UNAVAILABLE');
    assert.match(String(err.hint), /again/);
  } finally {
    await down.close();
  }
});
