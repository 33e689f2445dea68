import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

type Project = { id: number; slug: string; name: string; is_private: boolean; owner: string };

test('list_projects: the caller\'s projects, paged explicitly', async () => {
  const page = dataOf<{ items: Project[]; total: number; has_next: boolean; page: number }>(await h.call('list_projects', { page_size: 2 }));
  assert.equal(page.items.length, 2);
  assert.equal(page.has_next, true);
  assert.ok(page.total > 2);
  const last = dataOf<{ items: Project[]; has_next: boolean }>(await h.call('list_projects', { page_size: 100 }));
  assert.equal(last.has_next, false);
  assert.equal(last.items.length, page.total);
  assert.ok(h.emulator.requests.some((r) => r.path === '/api/v1/projects' && r.query['member'] === '5'), 'filters by the caller by default');
});

test('list_projects: tags only when asked (include), in both renderings; no description or dates in a list', async () => {
  const text = (r: { content: unknown[] }) => (r.content[0] as { text: string }).text;
  const lean = await h.call('list_projects', { page_size: 100 });
  const items = dataOf<{ items: Array<Record<string, unknown>> }>(lean).items;
  for (const p of items) for (const key of ['tags', 'description', 'created_date', 'modified_date']) assert.equal(p[key], undefined, `${String(p['slug'])} says no ${key}`);
  assert.doesNotMatch(text(lean), /tags:/);
  const tagged = await h.call('list_projects', { page_size: 100, include: ['tags'] });
  const withTags = dataOf<{ items: Array<{ slug: string; tags?: string[] }> }>(tagged).items.filter((p) => p.tags);
  assert.ok(withTags.length > 0, 'some seeded project has tags');
  for (const p of withTags) assert.ok(text(tagged).split('\n').some((line) => line.includes(` ${p.slug} `) && line.includes(`tags:[${p.tags!.map((t) => JSON.stringify(t)).join(',')}]`)), `${p.slug}'s tags are in its line`);
  assert.equal(errorOf(await h.call('list_projects', { include: ['owner'] })).code, 'INVALID_INPUT');
});

test('get_project by slug returns lean data plus the valid names', async () => {
  const { project, lookups } = dataOf<{ project: Project; lookups: { us_statuses: string[]; sprints: Array<{ name: string }>; members: Array<{ username: string }> } }>(await h.call('get_project', { project_id: 'project-1' }));
  assert.equal(project.id, 1);
  assert.deepEqual(lookups.us_statuses, ['New', 'Ready', 'In progress', 'Ready for test', 'Done', 'Archived']);
  assert.ok(lookups.members.some((m) => m.username === 'admin'));
  assert.equal(errorOf(await h.call('get_project', { project_id: 'no-such-project' })).code, 'INVALID_INPUT');
  assert.equal(errorOf(await h.call('get_project', { project_id: 999999 })).code, 'NOT_FOUND');
});

test('create, update, invite, remove a member, delete', async () => {
  const created = dataOf<Project>(await h.call('create_project', { name: 'MCP test project', description: 'made by a test' }));
  assert.equal(created.is_private, true);
  assert.match(created.slug, /mcp-test-project/);
  const updated = dataOf<Project>(await h.call('update_project', { project_id: created.slug, name: 'Renamed', visibility: 'public' }));
  assert.deepEqual([updated.name, updated.is_private], ['Renamed', undefined], 'a public project has no is_private (absent means false)');
  assert.equal(errorOf(await h.call('update_project', { project_id: created.id })).code, 'INVALID_INPUT');

  const invited = dataOf<{ username: string; role: string; is_pending: boolean }>(await h.call('invite_project_user', { project_id: created.id, username: 'user1', role: 'Back' }));
  assert.deepEqual([invited.username, invited.role, invited.is_pending], ['user1', 'Back', undefined]);
  const pending = dataOf<{ is_pending: boolean; role: string }>(await h.call('invite_project_user', { project_id: created.id, username: 'someone.new@example.com', role: 'UX' }));
  assert.equal(pending.is_pending, true);
  const badRole = errorOf(await h.call('invite_project_user', { project_id: created.id, username: 'user3', role: 'Wizard' }));
  assert.equal(badRole.code, 'INVALID_INPUT');
  assert.ok((badRole.details?.['valid_values'] as string[]).includes('Back'));
  const duplicate = errorOf(await h.call('invite_project_user', { project_id: created.id, username: 'user1', role: 'Back' }));
  assert.equal(duplicate.code, 'TAIGA_REJECTED');

  dataOf(await h.call('remove_project_member', { project_id: created.id, user_id: 'user1' }));
  assert.equal(errorOf(await h.call('remove_project_member', { project_id: created.id, user_id: 'user1' })).code, 'INVALID_INPUT');

  dataOf(await h.call('delete_project', { project_id: created.id }));
  assert.equal(errorOf(await h.call('get_project', { project_id: created.id })).code, 'NOT_FOUND');
});

test('a non-admin member is refused writes with PERMISSION_DENIED', async () => {
  const { session_id } = dataOf<{ session_id: string }>(await h.call('login', { username: 'user2', password: '123123' }));
  assert.equal(errorOf(await h.call('update_project', { session_id, project_id: 1, name: 'x' })).code, 'PERMISSION_DENIED');
  assert.equal(errorOf(await h.call('delete_project', { session_id, project_id: 1 })).code, 'PERMISSION_DENIED');
});
