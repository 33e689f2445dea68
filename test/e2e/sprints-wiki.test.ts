import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';

let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

type Sprint = { id: number; name: string; start: string; finish: string; closed?: true; stories: number; total_points?: number; closed_points?: number };
type Story = { id: number; ref: number; sprint?: string; version: number; closed?: true };

test('sprint planning end to end: create, fill from the backlog by #ref, see stats, close moving the unfinished to the backlog', async () => {
  const created = dataOf<Sprint>(await h.call('create_sprint', { project_id: 'project-1', name: 'Sprint 2027-1', start: '2027-01-04', finish: '2027-01-15' }));
  assert.deepEqual([created.name, created.stories, created.closed], ['Sprint 2027-1', 0, undefined]);
  const backlog = dataOf<{ items: Story[] }>(await h.call('list_user_stories', { project_id: 1, sprint: null, closed: false, page_size: 3 })).items;
  const refs = backlog.map((s) => `#${s.ref}`);
  const moved = dataOf<{ moved: number[]; to: string }>(await h.call('move_user_stories_to_sprint', { project_id: 1, user_story_ids: refs, sprint: 'sprint 2027-1' }));
  assert.deepEqual([moved.moved.length, moved.to], [3, 'Sprint 2027-1']);
  const got = dataOf<{ sprint: Sprint; stories: Story[]; stats: { total_stories: number; burndown: unknown[] } }>(await h.call('get_sprint', { sprint_id: 'Sprint 2027-1', project_id: 1, include: ['burndown'] }));
  assert.deepEqual(got.stories.map((s) => `#${s.ref}`).sort(), [...refs].sort());
  assert.equal(got.stats.total_stories, 3);
  assert.equal(got.stats.burndown.length, 12, 'one day per day of the sprint');
  // Our own board move is not taken for a teammate's: an update with the version read before it goes through.
  dataOf(await h.call('update_user_story', { user_story_id: `#${backlog[0]!.ref}`, project_id: 1, subject: 'still mine', version: backlog[0]!.version }));
  dataOf(await h.call('update_user_story', { user_story_id: `#${backlog[1]!.ref}`, project_id: 1, status: 'Done' }));
  const closed = dataOf<{ sprint: Sprint; moved: number[]; to: string | null }>(await h.call('close_sprint', { sprint_id: created.id, move_unfinished_to: null }));
  assert.equal(closed.sprint.closed, true);
  assert.equal(closed.to, null);
  assert.deepEqual(closed.moved.sort(), [backlog[0]!.ref, backlog[2]!.ref].sort());
  assert.equal(dataOf<Story>(await h.call('get_user_story', { user_story_id: `#${backlog[0]!.ref}`, project_id: 1 })).sprint, undefined);
  assert.equal(dataOf<Story>(await h.call('get_user_story', { user_story_id: `#${backlog[1]!.ref}`, project_id: 1 })).sprint, 'Sprint 2027-1');
  const open = dataOf<{ items: Sprint[] }>(await h.call('list_sprints', { project_id: 1 }));
  assert.ok(!open.items.some((s) => s.id === created.id), 'a closed sprint is not in the open list');
  assert.ok(dataOf<{ items: Sprint[] }>(await h.call('list_sprints', { project_id: 1, state: 'closed' })).items.some((s) => s.id === created.id));
});

test('sprint dates: reversed or overlapping are refused before Taiga sees them; touching is fine', async () => {
  const writes = h.emulator.totalWrites;
  const reversed = errorOf(await h.call('create_sprint', { project_id: 1, name: 'Backwards', start: '2027-02-14', finish: '2027-02-01' }));
  assert.deepEqual([reversed.code, reversed.details?.['fields']], ['INVALID_INPUT', { finish: 'before start' }]);
  const overlap = errorOf(await h.call('create_sprint', { project_id: 1, name: 'Overlap', start: '2026-10-01', finish: '2026-10-20' }));
  assert.equal(overlap.code, 'INVALID_INPUT');
  assert.match(overlap.message, /overlaps "Sprint 2026-9-27" \(2026-09-27\.\.2026-10-12\)/);
  assert.equal(errorOf(await h.call('create_sprint', { project_id: 1, name: 'Bad', start: 'tomorrow', finish: '2027-01-01' })).code, 'INVALID_INPUT');
  assert.equal(h.emulator.totalWrites, writes);
  dataOf(await h.call('create_sprint', { project_id: 1, name: 'Right after', start: '2026-10-12', finish: '2026-10-26' }));
  assert.equal(errorOf(await h.call('update_sprint', { sprint_id: 'Right after', project_id: 1, start: '2026-10-01' })).code, 'INVALID_INPUT');
});

test('deleting a sprint says which stories went back to the backlog', async () => {
  const result = dataOf<{ stories_to_backlog: number[] }>(await h.call('delete_sprint', { sprint_id: 'Sprint 2026-9-27', project_id: 'project-1' }));
  assert.equal(result.stories_to_backlog.length, 3);
  for (const ref of result.stories_to_backlog) assert.equal(dataOf<Story>(await h.call('get_user_story', { user_story_id: `#${ref}`, project_id: 1 })).sprint, undefined);
  assert.equal(errorOf(await h.call('get_sprint', { sprint_id: 'Sprint 2026-9-27', project_id: 1 })).code, 'INVALID_INPUT');
});

type Page = { id: number; slug: string; version: number; content?: string };

test('wiki: create, read by slug, strict version, links with the pages, delete', async () => {
  const created = await h.call('create_wiki_page', { project_id: 'project-1', slug: 'release-notes', content: '# Notes\n\nFirst.' });
  const page = dataOf<Page>(created);
  assert.deepEqual(page, { id: page.id, slug: 'release-notes', version: 1, content: '# Notes\n\nFirst.' }, 'a write answers with the page\'s name, version and content: no owner, dates or project');
  assert.doesNotMatch((created.content[0] as { text: string }).text, /by:|modified:|project/);
  assert.deepEqual(Object.keys(dataOf(await h.call('create_wiki_page', { project_id: 1, slug: 'empty-page' }))).sort(), ['id', 'slug', 'version'], 'no content, nothing said of it');
  assert.equal(dataOf<Page>(await h.call('get_wiki_page', { wiki_page_id: 'release-notes', project_id: 1 })).content, '# Notes\n\nFirst.');
  assert.equal(errorOf(await h.call('get_wiki_page', { wiki_page_id: 'release-notes' })).code, 'INVALID_INPUT', 'a slug needs project_id');
  assert.equal(errorOf(await h.call('create_wiki_page', { project_id: 1, slug: 'has spaces' })).code, 'INVALID_INPUT');
  dataOf(await h.call('update_wiki_page', { wiki_page_id: page.id, content: 'Second.', version: 1 }));
  const writes = h.emulator.totalWrites;
  const stale = errorOf(await h.call('update_wiki_page', { wiki_page_id: page.id, content: 'Third.', version: 1 }));
  assert.equal(stale.code, 'VERSION_CONFLICT');
  assert.deepEqual(stale.details?.['changed_fields'], ['content']);
  assert.equal(errorOf(await h.call('delete_wiki_page', { wiki_page_id: page.id, version: 1 })).code, 'VERSION_CONFLICT');
  assert.equal(h.emulator.totalWrites, writes);
  const link = dataOf<{ id: number; href: string }>(await h.call('add_wiki_link', { project_id: 1, title: 'Team Handbook' }));
  assert.equal(link.href, 'team-handbook');
  const listed = dataOf<{ items: Page[]; links: Array<{ title: string }> }>(await h.call('list_wiki_pages', { project_id: 1, page_size: 100 }));
  assert.ok(listed.items.some((p) => p.slug === 'team-handbook'), 'the link created its page');
  assert.ok(listed.links.some((l) => l.title === 'Team Handbook'));
  assert.ok(listed.items.every((p) => p.content === undefined), 'the list leaves the content out');
  dataOf(await h.call('remove_wiki_link', { project_id: 1, link: 'team handbook' }));
  dataOf(await h.call('delete_wiki_page', { wiki_page_id: 'release-notes', project_id: 1 }));
  assert.equal(errorOf(await h.call('get_wiki_page', { wiki_page_id: page.id })).code, 'NOT_FOUND');
});

test('a wiki slug made of digits is a slug: "4" never addresses page id 4, and only a number is an id', async () => {
  const four = dataOf<Page & { project: number }>(await h.call('get_wiki_page', { wiki_page_id: 4 }));
  assert.equal(four.project, 1);
  const page = dataOf<Page>(await h.call('create_wiki_page', { project_id: 'project-1', slug: '4', content: 'Named four.' }));
  assert.notEqual(page.id, 4);
  const bySlug = dataOf<Page>(await h.call('get_wiki_page', { wiki_page_id: '4', project_id: 'project-1' }));
  assert.deepEqual([bySlug.id, bySlug.content], [page.id, 'Named four.']);
  const updated = dataOf<Page>(await h.call('update_wiki_page', { wiki_page_id: '4', project_id: 1, content: 'Edited.' }));
  assert.deepEqual(updated, { id: page.id, slug: '4', version: page.version + 1, content: 'Edited.' });
  dataOf(await h.call('watch', { kind: 'wiki_page', item_id: ' 4 ', project_id: 1 }));
  assert.deepEqual(h.emulator.writes().filter((w) => w.path.includes('/watch')).map((w) => w.path), [`/api/v1/wiki/${page.id}/watch`]);
  const resource = await h.client.readResource({ uri: 'taiga://projects/project-1/wiki/4' });
  assert.equal((JSON.parse(String((resource.contents[0] as { text: string }).text)) as Page).id, page.id);
  const bare = errorOf(await h.call('update_wiki_page', { wiki_page_id: '4', content: 'Overwritten?' }));
  assert.equal(bare.code, 'INVALID_INPUT');
  assert.match(bare.hint ?? '', /as a number \(4, not "4"\)/);
  assert.equal(errorOf(await h.call('get_wiki_page', { wiki_page_id: '18', project_id: 1 })).code, 'NOT_FOUND', 'a string of digits is looked up as a slug only');
  dataOf(await h.call('delete_wiki_page', { wiki_page_id: '4', project_id: 1 }));
  assert.equal(errorOf(await h.call('get_wiki_page', { wiki_page_id: '4', project_id: 1 })).code, 'NOT_FOUND', 'once the slug is gone, no page answers to it');
  const after = dataOf<Page>(await h.call('get_wiki_page', { wiki_page_id: 4 }));
  assert.deepEqual([after.slug, after.version, after.content], [four.slug, four.version, four.content], 'page id 4 was never touched');
});

test('a stale version says which fields changed since and who changed them (from the history)', async () => {
  const story = dataOf<Story>(await h.call('get_user_story', { user_story_id: 6 }));
  await asTeammate(h.emulator, 'PATCH', '/userstories/6', { subject: 'by user2', version: story.version }, 'user2');
  const err = errorOf(await h.call('update_user_story', { user_story_id: 6, description: 'mine', version: story.version }));
  assert.equal(err.code, 'VERSION_CONFLICT');
  assert.deepEqual([err.details?.['changed_fields'], err.details?.['changed_by']], [['subject'], ['user2']]);
  assert.match(err.message, /changed since you read it \(subject by user2\)/);
});
