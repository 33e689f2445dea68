import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness({ env: { REQUEST_TIMEOUT: '2', TAIGA_TOOLSETS: 'all' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

type Story = { id: number; ref: number; subject: string; status: string; assigned_to?: string; sprint?: string; version: number; tags?: string[]; closed?: true; description?: string };
type Page = { items: Story[]; page: number; page_size: number; total: number; has_next: boolean };

test('list: explicit paging with total and has_next, never silently cut', async () => {
  const first = dataOf<Page>(await h.call('list_user_stories', { project_id: 'project-1', page_size: 5 }));
  assert.deepEqual([first.items.length, first.total, first.has_next], [5, 14, true]);
  const third = dataOf<Page>(await h.call('list_user_stories', { project_id: 1, page_size: 5, page: 3 }));
  assert.deepEqual([third.items.length, third.has_next], [4, false]);
  const past = errorOf(await h.call('list_user_stories', { project_id: 1, page: 99 }));
  assert.deepEqual([past.code, past.details?.['fields']], ['INVALID_INPUT', { page: 'past the last page' }]);
});

test('list: filters by status, assignee, sprint, tags and closed state, by name', async () => {
  const ready = dataOf<Page>(await h.call('list_user_stories', { project_id: 'project-1', status: 'ready', page_size: 100 }));
  assert.ok(ready.items.length > 0 && ready.items.every((s) => s.status === 'Ready'));
  const inSprint = dataOf<Page>(await h.call('list_user_stories', { project_id: 1, sprint: 'Sprint 2026-9-27', page_size: 100 }));
  assert.deepEqual(inSprint.items.map((s) => s.ref).sort((a, b) => a - b), [1, 5, 9]); // stories 1-3
  const backlog = dataOf<Page>(await h.call('list_user_stories', { project_id: 1, sprint: null, page_size: 100 }));
  assert.ok(backlog.items.every((s) => s.sprint === undefined));
  assert.equal(backlog.total + inSprint.total, 14);
  const mine = dataOf<Page>(await h.call('list_user_stories', { project_id: 1, assigned_to: 'user3', page_size: 100 }));
  assert.ok(mine.items.length > 0 && mine.items.every((s) => s.assigned_to === 'user3'));
  const tagged = dataOf<Page>(await h.call('list_user_stories', { project_id: 1, tags: ['neque'], page_size: 100 }));
  assert.ok(tagged.items.length > 0 && tagged.items.every((s) => s.tags?.includes('neque')));
  const closed = dataOf<Page>(await h.call('list_user_stories', { project_id: 1, closed: true, page_size: 100 }));
  assert.ok(closed.items.length > 0 && closed.items.every((s) => s.closed === true));
  assert.equal(errorOf(await h.call('list_user_stories', { project_id: 1, epic: 'Some epic name' })).code, 'INVALID_INPUT');
  // (the emulator has no /epics/by_ref yet, so the epic is named by id here)
  const byEpic = dataOf<Page>(await h.call('list_user_stories', { project_id: 1, epic: 2, page_size: 100 }));
  assert.ok(byEpic.items.some((s) => s.ref === 5)); // story 2
  const miss = errorOf(await h.call('list_user_stories', { project_id: 1, sprint: 'Sprint 99' }));
  assert.equal(miss.code, 'INVALID_INPUT');
  assert.deepEqual(miss.details?.['valid_values'], ['Sprint 2026-9-27']);
});

test('get by #ref, lean by default, raw record on request, description delimited as data', async () => {
  const result = await h.call('get_user_story', { user_story_id: '#5', project_id: 'project-1' });
  const story = dataOf<Story & { raw?: unknown }>(result);
  assert.equal(story.ref, 5);
  assert.equal(story.raw, undefined);
  assert.match((result.content[0] as { text: string }).text, /<untrusted-user-content>/);
  const full = dataOf<{ raw: Record<string, unknown> }>(await h.call('get_user_story', { user_story_id: story.id, full: true }));
  assert.ok('status_extra_info' in full.raw);
  assert.equal(errorOf(await h.call('get_user_story', { user_story_id: '#5' })).code, 'INVALID_INPUT');
  assert.equal(errorOf(await h.call('get_user_story', { user_story_id: '#9999', project_id: 1 })).code, 'NOT_FOUND');
  assert.equal(errorOf(await h.call('get_user_story', { user_story_id: 99999 })).code, 'NOT_FOUND');
});

test('create with names, then update, assign, unassign and delete', async () => {
  const created = dataOf<Story>(await h.call('create_user_story', { project_id: 'project-1', subject: 'As an agent I can plan', status: 'In progress', assigned_to: 'me', sprint: 'Sprint 2026-9-27', tags: ['mcp'] }));
  assert.deepEqual([created.status, created.assigned_to, created.sprint, created.version], ['In progress', 'admin', 'Sprint 2026-9-27', 1]);
  const updated = dataOf<Story>(await h.call('update_user_story', { user_story_id: created.id, subject: 'Renamed', version: 1 }));
  assert.deepEqual([updated.subject, updated.version], ['Renamed', 2]);
  const assigned = dataOf<Story>(await h.call('assign_user_story', { user_story_id: `#${created.ref}`, project_id: 1, user_id: 'user2' }));
  assert.equal(assigned.assigned_to, 'user2');
  const unassigned = dataOf<Story>(await h.call('unassign_user_story', { user_story_id: created.id }));
  assert.equal(unassigned.assigned_to, undefined);
  const pointed = dataOf<Story & { total_points: number }>(await h.call('update_user_story', { user_story_id: created.id, points: { Back: '3', front: '5' } }));
  assert.equal(pointed.total_points, 8);
  const badPoints = errorOf(await h.call('update_user_story', { user_story_id: created.id, points: { Back: '4' } }));
  assert.equal(badPoints.code, 'INVALID_INPUT');
  assert.ok((badPoints.details?.['valid_values'] as string[]).includes('1/2'));
  // The map's value type is not advertised (budget), so the server's check is the only one.
  const wrongType = errorOf(await h.call('update_user_story', { user_story_id: created.id, points: { Back: true } }));
  assert.equal(wrongType.code, 'INVALID_INPUT');
  assert.match(String(wrongType.details?.['field'] ?? wrongType.message), /points/);
  const moved = dataOf<Story>(await h.call('update_user_story', { user_story_id: created.id, sprint: null, comment: 'moved to backlog' }));
  assert.equal(moved.sprint, undefined);
  dataOf(await h.call('delete_user_story', { user_story_id: created.id }));
  assert.equal(errorOf(await h.call('get_user_story', { user_story_id: created.id })).code, 'NOT_FOUND');
});

test('a stale version is a VERSION_CONFLICT with the current version, and nothing is written', async () => {
  dataOf(await h.call('update_user_story', { user_story_id: 2, subject: 'first edit' }));
  const writes = h.emulator.totalWrites;
  const conflict = errorOf(await h.call('update_user_story', { user_story_id: 2, description: 'other field', version: 1 }));
  assert.equal(conflict.code, 'VERSION_CONFLICT');
  assert.equal(conflict.details?.['current_version'], 2);
  const del = errorOf(await h.call('delete_user_story', { user_story_id: 2, version: 1 }));
  assert.equal(del.code, 'VERSION_CONFLICT');
  assert.equal(h.emulator.totalWrites, writes, 'no write reached Taiga');
  dataOf(await h.call('get_user_story', { user_story_id: 2 }));
  assert.match(h.stderr(), /"audit":true,"tool":"update_user_story"[^\n]*"outcome":"VERSION_CONFLICT"/, 'the audit line records the failure');
  assert.match(h.stderr(), /"audit":true,"tool":"update_user_story"[^\n]*"outcome":"ok"/);
});

test('bulk create resolves every name before the first write, then reports progress and each item', async () => {
  const writes = h.emulator.totalWrites;
  const bad = errorOf(await h.call('bulk_create_user_stories', { project_id: 1, stories: [{ subject: 'one' }, { subject: 'two', status: 'No such status' }] }));
  assert.equal(bad.code, 'INVALID_INPUT');
  assert.ok('stories.1.status' in (bad.details?.['fields'] as object), JSON.stringify(bad.details));
  assert.equal(h.emulator.totalWrites, writes, 'a bad name in item 2 writes nothing, item 1 included');

  const progress: number[] = [];
  const result = dataOf<{ done: number; failed: number; results: Array<{ status: string; ref?: number; error?: { code: string } }> }>(
    await h.call('bulk_create_user_stories', { project_id: 1, status: 'Ready', stories: [{ subject: 'one' }, { subject: 'two', status: 'In progress' }, { subject: 'three', assigned_to: 'user2' }] }, { onprogress: (p) => progress.push(p.progress) }),
  );
  assert.deepEqual([result.done, result.failed], [3, 0]);
  const made = await Promise.all(result.results.map(async (r) => dataOf<Story>(await h.call('get_user_story', { user_story_id: `#${r.ref}`, project_id: 1 }))));
  assert.deepEqual(made.map((s) => s.status), ['Ready', 'In progress', 'Ready'], 'shared fields apply to every item; an item\'s own value wins');
  // Progress rises one item at a time (a client may drop the last one if it races the response).
  assert.deepEqual(progress, [1, 2, 3].slice(0, progress.length));
  assert.ok(progress.length >= 2, `progress notifications: ${progress.join(',')}`);
});

test('a write Taiga did not confirm is reported as possibly applied, never retried', async () => {
  const before = h.emulator.totalWrites;
  h.emulator.knobs.failNext(1, { status: 502, match: /userstories$/ });
  const err = errorOf(await h.call('create_user_story', { project_id: 1, subject: 'maybe created' }));
  assert.equal(err.code, 'TAIGA_UNAVAILABLE');
  assert.equal(err.details?.['outcome_unknown'], true);
  assert.match(String(err.hint), /whether the change was applied/);
  assert.equal(h.emulator.totalWrites, before + 1, 'sent once');
  h.emulator.knobs.failNext(1, { status: 502, match: /userstories$/ });
  const bulk = dataOf<{ done: number; unknown: number; not_attempted: number; results: Array<{ status: string }> }>(await h.call('bulk_create_user_stories', { project_id: 1, stories: [{ subject: 'a' }, { subject: 'b' }] }));
  assert.deepEqual([bulk.unknown, bulk.not_attempted], [1, 1]);
  assert.equal(bulk.results[0]?.status, 'unknown');
});

test('bulk update changes status, assignee or sprint of many stories and stops when Taiga is down', async () => {
  const ok = dataOf<{ done: number }>(await h.call('bulk_update_user_stories', { project_id: 1, user_story_ids: [1, '#5', 3], status: 'Ready for test', assigned_to: 'user2' }));
  assert.equal(ok.done, 3);
  const after = dataOf<Page>(await h.call('list_user_stories', { project_id: 1, status: 'Ready for test', assigned_to: 'user2', page_size: 100 }));
  assert.ok([1, 5, 9].every((ref) => after.items.some((s) => s.ref === ref))); // stories 1, #5 and 3

  h.emulator.knobs.failNext(20, { status: 503, match: /userstories\/(4|5)/ });
  const partial = dataOf<{ done: number; failed: number; not_attempted: number; results: Array<{ status: string; error?: { code: string } }> }>(
    await h.call('bulk_update_user_stories', { project_id: 1, user_story_ids: [6, 4, 5], sprint: null }),
  );
  assert.deepEqual([partial.done, partial.failed, partial.not_attempted], [1, 1, 1]);
  assert.equal(partial.results[1]?.error?.code, 'TAIGA_UNAVAILABLE');
  h.emulator.knobs.clear();
  assert.equal(errorOf(await h.call('bulk_update_user_stories', { project_id: 1, user_story_ids: [1] })).code, 'INVALID_INPUT');
});

test('Taiga slow, down, throttling: coded, retryable errors; reads retried, writes not', async () => {
  h.emulator.knobs.failNext(1, { status: 500 });
  dataOf(await h.call('get_user_story', { user_story_id: 1 }));
  h.emulator.knobs.failNext(1, { status: 500, match: /PATCH|userstories\/1$/ });
  h.emulator.knobs.throttleNext(5, 120);
  const throttled = errorOf(await h.call('get_user_story', { user_story_id: 1 }));
  assert.equal(throttled.code, 'RATE_LIMITED');
  assert.equal(throttled.details?.['retry_after_seconds'], 120);
  h.emulator.knobs.clear();
  h.emulator.knobs.hangNext(5);
  const slow = errorOf(await h.call('get_user_story', { user_story_id: 1 }));
  assert.equal(slow.code, 'TIMEOUT');
  h.emulator.knobs.clear();
});
