import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { PROJECT1_ISSUES, TASKS } from '../emulator/seed-items-data.js';

/**
 * The list filters of issue 16 §1, through the built server over stdio against the emulator:
 * each one becomes Taiga's own query parameter (checked on the request Taiga received), and the
 * answer is the one the seed data gives, worked out here from the seed rows rather than asked of
 * the emulator.
 */
let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

type Item = { id: number; ref: number; status?: string; priority?: string; severity?: string; assigned_to?: string };
type Page = { items: Item[]; total: number; has_next: boolean };

/** The query of the last list request Taiga received on `path`. */
const lastQuery = (path: string): Record<string, string> => {
  const found = h.emulator.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1${path}`).pop();
  assert.ok(found, `a GET ${path} reached Taiga`);
  return found.query;
};

const list = async (tool: string, args: Record<string, unknown>): Promise<Page> => dataOf<Page>(await h.call(tool, { project_id: 1, page_size: 100, ...args }));

// Seed rows of project 1's issues: [id, ref, type, priority, severity, status, owner, assigned_to, subject, tags, watchers, voters, created, finished].
const ISSUES = PROJECT1_ISSUES.map(([id, , type, priority, severity, status, owner, assigned, , tags, watchers, , created, finished]) => ({
  id, type, priority, severity, status, owner, assigned, tags: tags.map((t) => (Array.isArray(t) ? t[0] : t)), watchers, created, finished,
}));
const ids = (items: Item[]) => items.map((i) => i.id).sort((a, b) => a - b);
const expected = (keep: (i: (typeof ISSUES)[number]) => boolean) => ISSUES.filter(keep).map((i) => i.id).sort((a, b) => a - b);

test('"High or critical bugs from this week, newest first" is one call, in Taiga\'s own parameters', async () => {
  // Priority High is id 3; severities Important and Critical are 4 and 5; type Bug is 1 (the template's order).
  const since = '2026-11-21T02:42:03.500Z';
  const page = await list('list_issues', { priority: 'High', severity: ['Important', 'Critical'], created: `${since}..`, order_by: '-created_date' });
  assert.deepEqual(lastQuery('/issues'), { project: '1', priority: '3', severity: '4,5', created_date__gte: since, order_by: '-created_date', page: '1', page_size: '100' });
  const want = ISSUES.filter((i) => i.priority === 3 && [4, 5].includes(i.severity) && i.created >= since).sort((a, b) => b.created.localeCompare(a.created)).map((i) => i.id);
  assert.ok(want.length >= 2, 'the seed has several');
  assert.deepEqual(page.items.map((i) => i.id), want, 'newest first');
  assert.equal(page.total, want.length);
});

test('a list of values is OR; exclude leaves values out; several filters AND', async () => {
  const page = await list('list_issues', { assigned_to: ['admin', null], exclude: { status: ['New', 'Closed'], type: 'Question' } });
  const q = lastQuery('/issues');
  assert.equal(q['assigned_to'], '5,null');
  assert.equal(q['exclude_status'], '1,4');
  assert.equal(q['exclude_type'], '2');
  assert.deepEqual(ids(page.items), expected((i) => (i.assigned === 5 || i.assigned === null) && ![1, 4].includes(i.status) && i.type !== 2));
  const tagged = await list('list_issues', { tags: ['cum', 'quam'], exclude: { tags: 'quo', priority: 'Low', severity: 'Minor' } });
  assert.equal(lastQuery('/issues')['tags'], 'cum,quam');
  assert.deepEqual(
    ids(tagged.items),
    expected((i) => (i.tags.includes('cum') || i.tags.includes('quam')) && !i.tags.includes('quo') && i.priority !== 1 && i.severity !== 2),
  );
});

test('owner and watcher, by name or "me", one or several', async () => {
  const owned = await list('list_issues', { owner: ['user4', 'admin'] });
  assert.equal(lastQuery('/issues')['owner'], '10,5');
  assert.deepEqual(ids(owned.items), expected((i) => i.owner === 10 || i.owner === 5));
  const watched = await list('list_issues', { watcher: 'me' });
  assert.equal(lastQuery('/issues')['watchers'], '5');
  assert.deepEqual(ids(watched.items), expected((i) => i.watchers.includes(5)));
  const notMine = await list('list_issues', { exclude: { owner: 'me', assigned_to: null } });
  assert.deepEqual(ids(notMine.items), expected((i) => i.owner !== 5 && i.assigned !== null));
});

test('date ranges: "from..to" with the "to" day whole, timestamps as given, finished and modified too', async () => {
  await list('list_issues', { created: '..2026-11-21' });
  assert.deepEqual(pick(lastQuery('/issues'), 'created_date'), { created_date__lt: '2026-11-22' });
  await list('list_issues', { modified: '2026-11-01..2026-11-30' });
  assert.deepEqual(pick(lastQuery('/issues'), 'modified_date'), { modified_date__gte: '2026-11-01', modified_date__lt: '2026-12-01' });
  const day = await list('list_issues', { finished: '2026-11-21' });
  assert.deepEqual(pick(lastQuery('/issues'), 'finished_date'), { finished_date__gte: '2026-11-21', finished_date__lt: '2026-11-22' });
  assert.deepEqual(ids(day.items), expected((i) => i.finished !== null && i.finished.startsWith('2026-11-21')));
  const until = '2026-11-21T02:42:03.452Z';
  const early = await list('list_issues', { created: `..${until}` });
  assert.deepEqual(pick(lastQuery('/issues'), 'created_date'), { created_date__lte: until });
  assert.deepEqual(ids(early.items), expected((i) => i.created <= until));
  // Tasks finish in `finished_date`, stories in `finish_date` (taiga-back's names).
  const tasks = await list('list_tasks', { finished: '2026-10-01..2026-10-08', order_by: 'subject' });
  assert.deepEqual(pick(lastQuery('/tasks'), 'finished_date'), { finished_date__gte: '2026-10-01', finished_date__lt: '2026-10-09' });
  const taskRows = TASKS.filter((t) => t[1] === 1 && t[13] !== null && t[13] >= '2026-10-01' && t[13] < '2026-10-09');
  assert.deepEqual(ids(tasks.items), taskRows.map((t) => t[0]).sort((a, b) => a - b));
  await list('list_user_stories', { finished: '2026-11-21..', closed: true });
  assert.deepEqual(pick(lastQuery('/userstories'), 'finish_date'), { finish_date__gte: '2026-11-21' });
});

test('stories and epics: assignees through Taiga\'s own fields, closed both ways, order_by', async () => {
  await list('list_user_stories', { assigned_to: ['me', 'user3'], exclude: { status: 'New' }, closed: false, order_by: '-total_voters' });
  const q = lastQuery('/userstories');
  assert.equal(q['assigned_users'], '5,9');
  assert.equal(q['exclude_status'], '1');
  assert.equal(q['is_closed'], 'false');
  assert.equal(q['order_by'], '-total_voters');
  const open = await list('list_tasks', { closed: false });
  const closed = await list('list_tasks', { closed: true });
  assert.equal(lastQuery('/tasks')['status__is_closed'], 'true');
  assert.equal(open.total + closed.total, (await list('list_tasks', {})).total, 'open and closed split the list');
  await list('list_epics', { assigned_to: 'admin', exclude: { assigned_to: ['user3', 'user4'] } });
  assert.equal(lastQuery('/epics')['exclude_assigned_to'], '9,10');
});

test('what Taiga would ignore or refuse is INVALID_INPUT naming the argument, and nothing reaches Taiga', async () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['list_issues', { order_by: 'velocity' }, 'order_by'],
    ['list_issues', { order_by: '-backlog_order' }, 'order_by'],
    ['list_user_stories', { order_by: 'priority' }, 'order_by'],
    ['list_issues', { created: 'last week' }, 'created'],
    ['list_issues', { created: '..' }, 'created'],
    ['list_issues', { created: '2026-02-30..' }, 'created'],
    ['list_issues', { exclude: { sprint: 1 } }, 'exclude'],
    ['list_issues', { exclude: { priority: 'Urgent' } }, 'exclude.priority'],
    ['list_issues', { severity: [] }, 'severity'],
    ['list_issues', { status: ['New', 'Nope'] }, 'status'],
    ['list_epics', { assigned_to: ['admin', 'user3'] }, 'assigned_to'],
    ['list_epics', { order_by: 'subject' }, 'order_by'],
  ];
  for (const [tool, args, field] of cases) {
    const before = h.emulator.requests.filter((r) => /^\/api\/v1\/(issues|tasks|userstories|epics)$/.test(r.path)).length;
    const result = await h.call(tool, { project_id: 1, ...args });
    assert.ok(result.isError, `${tool} ${JSON.stringify(args)} is refused`);
    const error = errorOf(result);
    assert.equal(error.code, 'INVALID_INPUT', `${tool} ${JSON.stringify(args)}: ${error.message}`);
    assert.ok(JSON.stringify(error).includes(field), `${tool} ${JSON.stringify(args)} names ${field}: ${JSON.stringify(error)}`);
    assert.equal(h.emulator.requests.filter((r) => /^\/api\/v1\/(issues|tasks|userstories|epics)$/.test(r.path)).length, before, `${tool}: no list request`);
  }
});

function pick(query: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([k]) => k.startsWith(prefix)));
}
