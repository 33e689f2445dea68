// History comments, sprint stats, search and custom attribute values, for the
// values the replay does not compare: who may edit or delete a comment, what
// the stats add up to, how search groups its hits.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type Emulator } from './index.js';

let emu: Emulator;
const tokens: Record<string, string> = {};
before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu.close();
});
beforeEach(async () => {
  emu.reset();
  for (const [username, password] of [['admin', 'taigaadmin'], ['user2', '123123'], ['user4', '123123']]) {
    const res = await fetch(`${emu.apiUrl}/auth`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'normal', username, password }),
    });
    tokens[username!] = ((await res.json()) as { auth_token: string }).auth_token;
  }
});

type Json = Record<string, unknown>;
async function api(as: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json & Json[] }> {
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method, headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** user2 (a plain member of project 1) comments on story 4; returns the entry id. */
async function commentAsUser2(): Promise<string> {
  const story = await api('user2', 'GET', '/userstories/4');
  assert.equal((await api('user2', 'PATCH', '/userstories/4', { comment: 'mine', version: story.body['version'] })).status, 200);
  const comments = await api('user2', 'GET', '/history/userstory/4?type=comment');
  return String(comments.body[0]!['id']);
}

test('only the author or a project admin edits or deletes a comment; only the deleter or an admin restores it', async () => {
  const id = await commentAsUser2();
  const action = (as: string, name: string, body?: unknown) => api(as, 'POST', `/history/userstory/4/${name}?id=${id}`, body);
  assert.equal((await action('user4', 'edit_comment', { comment: 'not yours' })).status, 403, 'another member');
  assert.equal((await action('user4', 'delete_comment')).status, 403);
  assert.equal((await action('user2', 'edit_comment', { comment: 'mine, edited' })).status, 200);
  const versions = await api('user2', 'GET', `/history/userstory/4/comment_versions?id=${id}`);
  assert.deepEqual(versions.body.map((v) => v['comment']), ['mine']);
  assert.equal((await action('admin', 'delete_comment')).status, 200, 'an admin deletes anyone\'s comment');
  assert.equal((await action('user2', 'undelete_comment')).status, 403, 'the author is not the deleter');
  assert.equal((await action('admin', 'undelete_comment')).status, 200);
  const [entry] = (await api('user2', 'GET', '/history/userstory/4?type=comment')).body;
  assert.equal(entry!['comment'], 'mine, edited');
  assert.equal(entry!['delete_comment_date'], null);
});

test('total_comments follows comments and their deletion', async () => {
  const before = (await api('admin', 'GET', '/userstories/4')).body['total_comments'] as number;
  const id = await commentAsUser2();
  assert.equal((await api('admin', 'GET', '/userstories/4')).body['total_comments'], before + 1);
  await api('user2', 'POST', `/history/userstory/4/delete_comment?id=${id}`);
  assert.equal((await api('admin', 'GET', '/userstories/4')).body['total_comments'], before);
});

test('sprint stats add up the stories and their tasks, and the burndown follows finished tasks', async () => {
  const sprint = await api('admin', 'POST', '/milestones', { project: 1, name: 'Stats', estimated_start: '2099-01-01', estimated_finish: '2099-01-05' });
  const id = sprint.body['id'] as number;
  // Story 4 has points 11, 8, 11, 5 by role: 20 + 8 + 20 + 2 = 50.
  assert.equal((await api('admin', 'POST', `/milestones/${id}/move_userstories_to_sprint`, { project_id: 1, milestone_id: id, bulk_stories: [{ us_id: 4, order: 1 }] })).status, 204);
  const task = await api('admin', 'POST', '/tasks', { project: 1, subject: 'half', user_story: 4 });
  await api('admin', 'POST', '/tasks', { project: 1, subject: 'other half', user_story: 4 });
  await api('admin', 'PATCH', `/tasks/${String(task.body['id'])}`, { status: 4, version: task.body['version'] });
  const stats = (await api('admin', 'GET', `/milestones/${id}/stats`)).body;
  assert.deepEqual(stats['total_points'], { 1: 20, 2: 8, 3: 20, 4: 2 });
  assert.deepEqual([stats['total_userstories'], stats['completed_userstories'], stats['total_tasks'], stats['completed_tasks']], [1, 0, 2, 1]);
  const days = stats['days'] as { day: string; open_points: number; optimal_points: number }[];
  assert.deepEqual(days.map((d) => d.day), ['2099-01-01', '2099-01-02', '2099-01-03', '2099-01-04', '2099-01-05']);
  assert.deepEqual(days.map((d) => d.optimal_points), [50, 37.5, 25, 12.5, 0]);
  // The task finished today, before the sprint starts: its half of the story counts from the first day.
  assert.deepEqual(days.map((d) => d.open_points), [25, 25, 25, 25, 25]);
});

test('search groups its hits by type, only the types the caller may see', async () => {
  const hits = (await api('admin', 'GET', '/search?project=1&text=bulk')).body;
  assert.deepEqual(Object.keys(hits).sort(), ['count', 'epics', 'issues', 'tasks', 'userstories', 'wikipages']);
  const subjects = (key: string) => (hits[key] as { subject: string }[]).map((h) => h.subject);
  assert.ok(subjects('userstories').length > 0 && subjects('userstories').every((s) => /bulk/i.test(s)));
  assert.ok(subjects('epics').every((s) => /bulk/i.test(s)));
  const total = ['epics', 'userstories', 'tasks', 'issues', 'wikipages'].reduce((n, k) => n + (hits[k] as unknown[]).length, 0);
  assert.equal(hits['count'], total);
  const byRef = (await api('admin', 'GET', '/search?project=1&text=5')).body;
  assert.deepEqual((byRef['userstories'] as Json[]).map((s) => s['ref']), [5]);
  const anonymous = await fetch(`${emu.apiUrl}/search?project=3&text=a`);
  assert.deepEqual(await anonymous.json(), { count: 0 });
});

test('custom attribute values are versioned on their own and show in the parent\'s history', async () => {
  const values = await api('admin', 'GET', '/userstories/custom-attributes-values/2');
  assert.deepEqual(values.body, { attributes_values: {}, version: 1, user_story: 2 });
  const patched = await api('admin', 'PATCH', '/userstories/custom-attributes-values/2', { attributes_values: { 2: 'https://example.org' }, version: 1 });
  assert.equal(patched.body['version'], 2);
  const stale = await api('admin', 'PATCH', '/userstories/custom-attributes-values/2', { attributes_values: { 2: 'https://example.com' }, version: 1 });
  assert.equal(stale.status, 200, 'a stale version never conflicts');
  assert.equal((await api('admin', 'GET', '/userstories/2')).body['version'], 1, 'the story keeps its own version');
  const [latest] = (await api('admin', 'GET', '/history/userstory/2?type=activity')).body;
  assert.deepEqual(Object.keys(latest!['diff'] as Json), ['custom_attributes']);
});

test('a wiki link creates its page; page edits go through OCC and the timeline', async () => {
  await api('admin', 'POST', '/wiki-links', { project: 1, title: 'Team Rules' });
  const page = await api('admin', 'GET', '/wiki/by_slug?slug=team-rules&project=1');
  assert.equal(page.status, 200);
  const id = page.body['id'];
  assert.equal((await api('admin', 'PATCH', `/wiki/${String(id)}`, { content: '# Rules\n\nBe *kind*.', version: 1 })).body['html'], '<h1 id="rules">Rules</h1>\n<p>Be <em>kind</em>.</p>');
  assert.equal((await api('admin', 'PATCH', `/wiki/${String(id)}`, { content: 'stale', version: 1 })).status, 400);
  const [event] = (await api('admin', 'GET', '/timeline/project/1?page_size=1')).body;
  assert.equal(event!['event_type'], 'wiki.wikipage.change');
});
