import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';

/**
 * list_my_work (issue 16 §2): one list request per kind, without a project, grouped by project;
 * checked against the same question asked project by project through the list_ tools.
 */
let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

// Compared by ref: a project's story list names its stories by ref (no id), and a ref is unique in a project.
type Item = { id?: number; ref: number; closed?: true };
type MyWork = { projects: Array<{ project: string } & Record<string, Item[]>>; totals: Record<string, number | null>; page: number; has_next: boolean };
const KINDS = ['user_stories', 'tasks', 'issues'] as const;
const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

/** The same question, asked of each project the user sees, through list_<kind>. */
async function projectByProject(filter: Record<string, unknown>): Promise<Map<string, number[]>> {
  const projects = dataOf<{ items: Array<{ slug: string }> }>(await h.call('list_projects', { all_visible: true, page_size: 100 })).items;
  const found = new Map<string, number[]>();
  for (const { slug } of projects) {
    for (const kind of KINDS) {
      const result = await h.call(`list_${kind}`, { project_id: slug, ...filter, page_size: 100 });
      // Not a member of that project: nothing there is assigned to them.
      if (result.isError && errorOf(result).code === 'INVALID_INPUT') continue;
      const page = dataOf<{ items: Item[] }>(result);
      if (page.items.length) found.set(`${slug} ${kind}`, page.items.map((i) => i.ref).sort((a, b) => a - b));
    }
  }
  return found;
}

const flatten = (r: MyWork) => new Map(r.projects.flatMap((p) => KINDS.filter((k) => p[k]).map((k) => [`${p.project} ${k}`, p[k]!.map((i) => i.ref).sort((a, b) => a - b)] as const)));

test('my open work across every project: one request per kind, no project, grouped by project', async () => {
  // Work of mine in two more projects (project 3 is private), beside the seed's in project 1.
  dataOf(await h.call('create_task', { project_id: 'project-2', subject: 'Mine in project 2', assigned_to: 'me' }));
  dataOf(await h.call('create_issue', { project_id: 'project-3', subject: 'Mine in project 3', assigned_to: 'me' }));
  const before = h.emulator.requests.length;
  const result = await h.call('list_my_work', { page_size: 100 });
  const mine = dataOf<MyWork>(result);
  const lists = h.emulator.requests.slice(before).filter((r) => /\/api\/v1\/(userstories|tasks|issues)$/.test(r.path));
  assert.equal(lists.length, 3, 'one list request per kind');
  for (const r of lists) assert.equal(r.query['project'], undefined, 'no project: Taiga filters by permission');
  assert.deepEqual(lists.map((r) => r.query['assigned_users'] ?? r.query['assigned_to']), ['5', '5', '5']);
  assert.deepEqual(lists.map((r) => r.query['is_closed'] ?? r.query['status__is_closed']), ['false', 'false', 'false']);
  assert.ok(mine.projects.length >= 3, `work in several projects: ${mine.projects.map((p) => p.project).join(', ')}`);
  assert.deepEqual(flatten(mine), await projectByProject({ assigned_to: 'me', closed: false }));
  assert.ok(mine.projects.every((p) => KINDS.every((k) => (p[k] ?? []).every((i) => !i.closed))), 'open by default');
  assert.match(text(result), /^project-\d+:\n/);
});

test('someone else\'s work, watched work, closed work and one kind', async () => {
  const theirs = dataOf<MyWork>(await h.call('list_my_work', { user: 'user3', kinds: ['tasks', 'issues'], page_size: 100 }));
  assert.deepEqual(flatten(theirs), new Map([...(await projectByProject({ assigned_to: 'user3', closed: false }))].filter(([k]) => !k.endsWith('user_stories'))));
  const watched = dataOf<MyWork>(await h.call('list_my_work', { watching: true, closed: true, page_size: 100 }));
  assert.deepEqual(flatten(watched), await projectByProject({ watcher: 'me', closed: true }));
  assert.ok(watched.projects.some((p) => KINDS.some((k) => p[k]?.length)), 'the seed has watched closed items');
});

test('paging is complete: page after page gives every item once, and the totals say how many', async () => {
  const all = flatten(dataOf<MyWork>(await h.call('list_my_work', { page_size: 100 })));
  const seen = new Map<string, number[]>();
  let page = 1;
  let last: MyWork;
  do {
    last = dataOf<MyWork>(await h.call('list_my_work', { page, page_size: 2 }));
    for (const [key, ids] of flatten(last)) seen.set(key, [...(seen.get(key) ?? []), ...ids].sort((a, b) => a - b));
    page += 1;
  } while (last.has_next && page < 50);
  assert.deepEqual(seen, all);
  const count = [...all.values()].reduce((n, ids) => n + ids.length, 0);
  const first = dataOf<MyWork>(await h.call('list_my_work', { page_size: 2 }));
  assert.equal(Object.values(first.totals).reduce<number>((n, t) => n + (t ?? 0), 0), count);
});

test('a page past the end of one kind but not of another: that kind is empty there, the others go on', async () => {
  for (const subject of ['Another of mine', 'And one more']) dataOf(await h.call('create_task', { project_id: 'project-2', subject, assigned_to: 'me' }));
  const all = dataOf<MyWork>(await h.call('list_my_work', { page_size: 100 }));
  const count = (kind: (typeof KINDS)[number]): number => all.projects.reduce((n, p) => n + (p[kind]?.length ?? 0), 0);
  const counts = KINDS.map(count).filter((n) => n > 0).sort((a, b) => a - b);
  assert.ok(counts.length >= 2 && counts[0]! < counts.at(-1)!, `the seed gives kinds of different lengths: ${counts.join(', ')}`);
  // With one item a page, page (shortest + 1) is past the end of the shortest kind only.
  const page = dataOf<MyWork>(await h.call('list_my_work', { page: counts[0]! + 1, page_size: 1 }));
  assert.equal(flatten(page).size > 0, true);
  assert.equal(page.has_next, counts[0]! + 1 < counts.at(-1)!);
});

test('an unknown user or kind is INVALID_INPUT, and no list request is made', async () => {
  for (const args of [{ user: 'nobody-here' }, { kinds: ['epics'] }, { order_by: 'priority' }, { created: 'soon' }]) {
    const before = h.emulator.requests.filter((r) => /\/(userstories|tasks|issues)$/.test(r.path)).length;
    const error = errorOf(await h.call('list_my_work', args));
    assert.equal(error.code, 'INVALID_INPUT', JSON.stringify(args));
    assert.equal(h.emulator.requests.filter((r) => /\/(userstories|tasks|issues)$/.test(r.path)).length, before);
  }
});
