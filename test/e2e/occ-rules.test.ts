import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';

/**
 * The rules of a write that races a teammate, each held by the case that tells it apart: how
 * many tries a write without a version gets, which version a conflict reports, which errors are
 * not conflicts, what a stale read says changed, and the memory of board moves per item and caller.
 */
type Item = { id: number; ref: number; subject?: string; status?: string; version: number; project?: number };

let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

const patchesOf = (path: string) => h.emulator.requests.filter((r) => r.method === 'PATCH' && r.path === `/api/v1${path}`).map((r) => r.status);
const teammateEdits = (path: string, field: string) => async () => {
  const now = (await asTeammate(h.emulator, 'GET', path)).body as Item;
  await asTeammate(h.emulator, 'PATCH', path, { [field]: `teammate ${now.version}`, version: now.version });
};

test('without a version, a write races a teammate once more on a fresh read, and then says who won', async () => {
  const task = dataOf<Item>(await h.call('create_task', { project_id: 1, subject: 'contested' }));
  const path = `/tasks/${task.id}`;
  // A teammate writes the same field before each of our tries (each hook queues the next once its
  // own PATCH is done, which would otherwise take it): the first retry is the only one.
  const before = new RegExp(`^PATCH /api/v1${path}$`);
  let left = 3;
  const race = async (): Promise<void> => {
    await teammateEdits(path, 'description')();
    if ((left -= 1) > 0) h.emulator.knobs.beforeNext(before, race);
  };
  h.emulator.knobs.beforeNext(before, race);
  const err = errorOf(await h.call('update_task', { task_id: task.id, description: 'ours' }));
  assert.equal(err.code, 'VERSION_CONFLICT');
  assert.deepEqual(patchesOf(path), [400, 200, 400, 200], 'two tries of ours, each beaten by a teammate, and no third');
  // The version it lost with is the one of its second read (after the first teammate write).
  assert.deepEqual([err.details?.['your_version'], err.details?.['current_version']], [2, 3]);
  assert.deepEqual([err.details?.['changed_fields'], err.details?.['changed_by']], [['description'], ['admin']]);
  assert.equal(dataOf<{ description?: string }>(await h.call('get_task', { task_id: task.id })).description, 'teammate 2');
});

test('with a version, a teammate write between our check and our write is a conflict at once, against the given version', async () => {
  const task = dataOf<Item>(await h.call('create_task', { project_id: 1, subject: 'strict' }));
  const path = `/tasks/${task.id}`;
  h.emulator.knobs.beforeNext(new RegExp(`^PATCH /api/v1${path}$`), teammateEdits(path, 'description'));
  const err = errorOf(await h.call('update_task', { task_id: task.id, description: 'ours', version: 1 }));
  assert.equal(err.code, 'VERSION_CONFLICT');
  assert.deepEqual(patchesOf(path), [400, 200], 'no retry: the agent asked for version 1');
  assert.deepEqual([err.details?.['your_version'], err.details?.['current_version'], err.details?.['changed_fields']], [1, 2, ['description']]);
});

test('a write Taiga refuses for another reason is not retried as a conflict', async () => {
  const task = dataOf<Item>(await h.call('create_task', { project_id: 1, subject: 'refused' }));
  h.emulator.knobs.failNext(1, { status: 500, method: 'PATCH', match: new RegExp(`/tasks/${task.id}$`) });
  const err = errorOf(await h.call('update_task', { task_id: task.id, subject: 'ours' }));
  assert.notEqual(err.code, 'VERSION_CONFLICT');
  assert.deepEqual(patchesOf(`/tasks/${task.id}`), [500], 'one try');
  assert.equal(dataOf<Item>(await h.call('get_task', { task_id: task.id })).subject, 'refused');
});

test('a stale version says what changed since, and by whom; a board move says which board fields', async () => {
  const task = dataOf<Item>(await h.call('create_task', { project_id: 1, subject: 'read once' }));
  await teammateEdits(`/tasks/${task.id}`, 'subject')();
  const stale = errorOf(await h.call('update_task', { task_id: task.id, description: 'late', version: 1 }));
  assert.equal(stale.message, `Task ${task.id} (#${task.ref}) is at version 2, not 1: it changed since you read it (subject by admin). Nothing was written.`);
  assert.deepEqual([stale.details?.['changed_fields'], stale.details?.['changed_by']], [['subject'], ['admin']]);

  // Without Taiga's history (refused here), the versions alone.
  h.emulator.knobs.failNext(1, { status: 403, match: /\/history\/task\// });
  const blind = errorOf(await h.call('update_task', { task_id: task.id, description: 'late', version: 1 }));
  assert.equal(blind.message, `Task ${task.id} (#${task.ref}) is at version 2, not 1: it changed since you read it. Nothing was written.`);
  // Two fields by two people: each list says all of them.
  await asTeammate(h.emulator, 'PATCH', `/tasks/${task.id}`, { description: 'theirs', version: 2 }, 'user2');
  const twice = errorOf(await h.call('update_task', { task_id: task.id, subject: 'later', version: 1 }));
  assert.match(twice.message, /^Task \d+ \(#\d+\) is at version 3, not 1: it changed since you read it \((subject, description|description, subject) by (admin, user2|user2, admin)\)\. Nothing was written\.$/);

  const story = dataOf<Item>(await h.call('get_user_story', { user_story_id: 4 }));
  await asTeammate(h.emulator, 'POST', '/userstories/bulk_update_milestone', { project_id: 1, milestone_id: 1, bulk_stories: [{ us_id: 4, order: 1 }] });
  const moved = errorOf(await h.call('update_user_story', { user_story_id: 4, subject: 'late', version: story.version }));
  assert.equal(moved.message, `User story 4 was moved on the board (milestone) since you read version ${story.version}; board moves do not change Taiga's version. Nothing was written.`);
  // Dragged to another column, out of its swimlane (kanban order: no version either).
  await asTeammate(h.emulator, 'POST', '/userstories/bulk_update_kanban_order', { project_id: 1, status_id: await metaStatus('Archived'), bulk_userstories: [4] });
  const dragged = errorOf(await h.call('update_user_story', { user_story_id: 4, subject: 'late', version: story.version }));
  assert.match(dragged.message, /was moved on the board \(milestone, status, swimlane\) since you read version/);
});

test('a "#ref" that is not there is NOT_FOUND, naming the ref and project; other failures of the lookup keep their own code', async () => {
  const missing = errorOf(await h.call('get_task', { task_id: '#9999', project_id: 'project-1' }));
  assert.equal(missing.code, 'NOT_FOUND');
  assert.equal(missing.message, 'No task #9999 in project 1 (or it is not visible to you).');
  assert.deepEqual(missing.details, { ref: 9999, project: 1 });
  h.emulator.knobs.failNext(1, { status: 403, match: /\/tasks\/by_ref/ });
  assert.equal(errorOf(await h.call('get_task', { task_id: '#2', project_id: 1 })).code, 'PERMISSION_DENIED', 'not NOT_FOUND');
  const bare = errorOf(await h.call('get_issue', { issue_id: '#2' }));
  assert.equal(bare.message, 'issue_id: a "#ref" needs project_id (id or slug) too');
  assert.deepEqual(bare.details, { fields: { issue_id: 'a "#ref" needs project_id (id or slug) too' } });
});

test('an item of another project is refused, saying where it lives and how to name it instead', async () => {
  const other = ((await asTeammate(h.emulator, 'GET', '/tasks?project=3')).body as Array<Item & { project_extra_info: { slug: string } }>)[0]!;
  const err = errorOf(await h.call('update_task', { task_id: other.id, project_id: 1, subject: 'x' }));
  assert.equal(err.message, `Task ${other.id} is in project 3 (${other.project_extra_info.slug}), not in project 1. Nothing was written.`);
  assert.deepEqual(err.details, { fields: { project_id: 'the task is in another project' }, item_project: { id: 3, slug: other.project_extra_info.slug } });
  assert.equal(err.hint, 'Use the task\'s own project, or its "#ref" within project 1.');
  const page = ((await asTeammate(h.emulator, 'GET', '/wiki?project=3')).body as Item[])[0]!;
  const wiki = errorOf(await h.call('get_wiki_page', { wiki_page_id: page.id, project_id: 1 }));
  assert.equal(wiki.message, `Wiki page ${page.id} is in project 3 (project-3), not in project 1. Nothing was written.`);
});

test('the audit line of a failed write by id names the project and the item it loaded', async () => {
  const task = dataOf<Item>(await h.call('create_task', { project_id: 1, subject: 'audited' }));
  await teammateEdits(`/tasks/${task.id}`, 'subject')();
  assert.equal(errorOf(await h.call('update_task', { task_id: task.id, subject: 'late', version: 1 })).code, 'VERSION_CONFLICT');
  const line = h.stderr().split('\n').filter((l) => l.includes('"audit":true') && l.includes('"outcome":"VERSION_CONFLICT"')).at(-1) ?? '';
  assert.match(line, /"project":1\b/);
  assert.match(line, new RegExp(`"object":"task:${task.id}"`));
});

test('a wiki page named with spaces around its slug is found; a slug without project_id is refused as such', async () => {
  assert.equal(dataOf<{ slug: string }>(await h.call('get_wiki_page', { wiki_page_id: ' home ', project_id: 1 })).slug, 'home');
  assert.equal(errorOf(await h.call('get_wiki_page', { wiki_page_id: 'home' })).message, 'wiki_page_id: a slug needs project_id.');
});

test('board moves are remembered per item and per version shown, and forgotten after the caller\'s own move', async () => {
  // Two new stories at version 1 on different columns: what was shown of one never stands for the other.
  const a = dataOf<Item>(await h.call('create_user_story', { project_id: 1, subject: 'a', status: 'New' }));
  const b = dataOf<Item>(await h.call('create_user_story', { project_id: 1, subject: 'b', status: 'Ready' }));
  dataOf(await h.call('get_user_story', { user_story_id: a.id }));
  dataOf(await h.call('get_user_story', { user_story_id: b.id }));
  assert.equal(dataOf<Item>(await h.call('update_user_story', { user_story_id: a.id, subject: 'a2', version: 1 })).version, 2);

  // Shown at version 2; a teammate changes the column (version 3); the agent writes with version 3, read elsewhere: no conflict.
  await asTeammate(h.emulator, 'PATCH', `/userstories/${a.id}`, { status: (await metaStatus('Ready')), version: 2 });
  assert.equal(dataOf<Item>(await h.call('update_user_story', { user_story_id: a.id, subject: 'a3', version: 3 })).version, 4);

  // The agent's own move into a sprint (no version bump in Taiga) does not make its copy stale.
  dataOf(await h.call('get_user_story', { user_story_id: b.id }));
  dataOf(await h.call('move_user_stories_to_sprint', { project_id: 1, user_story_ids: [b.id], sprint: 1 }));
  assert.equal(dataOf<Item>(await h.call('update_user_story', { user_story_id: b.id, subject: 'b2', version: 1 })).version, 2);

  // Never shown in this session (made by a teammate): a version alone decides.
  const c = (await asTeammate(h.emulator, 'POST', '/userstories', { project: 1, subject: 'c' })).body as Item;
  assert.equal(dataOf<Item>(await h.call('update_user_story', { user_story_id: c.id, subject: 'c2', version: c.version })).version, c.version + 1);
});

test('with nothing to change, a write is refused before Taiga is asked', async () => {
  const task = dataOf<Item>(await h.call('create_task', { project_id: 1, subject: 'unchanged' }));
  const writes = h.emulator.totalWrites;
  const err = errorOf(await h.call('update_task', { task_id: task.id }));
  assert.equal(err.code, 'INVALID_INPUT');
  assert.equal(err.message, 'Nothing to change: give at least one field.');
  assert.equal(h.emulator.totalWrites, writes);
});

/** The id of project 1's user-story status of that name, as Taiga has it. */
async function metaStatus(name: string): Promise<number> {
  const statuses = (await asTeammate(h.emulator, 'GET', '/userstory-statuses?project=1')).body as Array<{ id: number; name: string }>;
  return statuses.find((s) => s.name === name)!.id;
}
