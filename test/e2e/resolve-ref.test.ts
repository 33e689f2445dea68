import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';

let h: Harness;
let front: string;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all' } });
  front = h.emulator.url.replace(/\/api\/v1$/, '').replace(/\/$/, '');
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

type Resolved = { kind: string; id: number; ref?: number; subject: string; status?: string; closed?: boolean; version?: number; project: string; url: string };
const text = (r: Awaited<ReturnType<Harness['call']>>) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

test('a bare #ref (or number) with a project: kind, id, subject, state and link, from Taiga\'s resolver', async () => {
  const story = dataOf<Resolved>(await h.call('resolve_ref', { ref: '#5', project_id: 'project-1' }));
  assert.deepEqual(story, { kind: 'user_story', id: 2, ref: 5, subject: 'Add tests for bulk operations', status: 'Ready', version: 1, project: 'project-1', url: `${front}/project/project-1/us/5` });
  const epic = dataOf<Resolved>(await h.call('resolve_ref', { ref: '39', project_id: 1 }));
  assert.deepEqual([epic.kind, epic.id, epic.url], ['epic', 1, `${front}/project/project-1/epic/39`]);
  const result = await h.call('resolve_ref', { ref: '#5', project_id: 1 });
  assert.equal(text(result), `user_story #5 id=2 "Add tests for bulk operations" status:"Ready" v1 project:project-1 ${front}/project/project-1/us/5`);
  assert.ok(h.emulator.requests.some((r) => r.path === '/api/v1/resolver' && r.query['ref'] === '5' && r.query['project'] === 'project-1'), 'asked Taiga\'s /resolver');
});

test('a pasted web link of this Taiga\'s front-end: story, task, issue, sprint, wiki page', async () => {
  const task = dataOf<Resolved>(await h.call('resolve_ref', { ref: `${front}/project/project-1/task/6` }));
  assert.deepEqual([task.kind, task.ref, task.url], ['task', 6, `${front}/project/project-1/task/6`]);
  const issue = dataOf<Resolved>(await h.call('resolve_ref', { ref: `${front}/project/project-1/issue/23?foo=1#comment` }));
  assert.deepEqual([issue.kind, issue.ref], ['issue', 23]);
  const sprint = dataOf<Resolved>(await h.call('resolve_ref', { ref: `${front}/project/project-1/taskboard/sprint-2026-9-27` }));
  assert.deepEqual([sprint.kind, sprint.id, sprint.subject, sprint.url], ['sprint', 1, 'Sprint 2026-9-27', `${front}/project/project-1/taskboard/sprint-2026-9-27`]);
  const wiki = dataOf<Resolved>(await h.call('resolve_ref', { ref: `${front}/project/project-1/wiki/home`, project_id: 'project-1' }));
  assert.deepEqual([wiki.kind, wiki.subject], ['wiki_page', 'home']);
});

test('refused before Taiga: a bare ref without a project, a link of another site, a link to no item, a link of another project', async () => {
  const before = h.emulator.requests.filter((r) => r.path === '/api/v1/resolver').length;
  const bare = errorOf(await h.call('resolve_ref', { ref: '#5' }));
  assert.deepEqual([bare.code, bare.details?.['fields']], ['INVALID_INPUT', { project_id: 'needed with a bare ref' }]);
  const other = errorOf(await h.call('resolve_ref', { ref: 'https://tree.taiga.io/project/project-1/us/5' }));
  assert.deepEqual([other.code, other.details?.['front_end']], ['INVALID_INPUT', front]);
  const sub = errorOf(await h.call('resolve_ref', { ref: `${front}.evil.example/project/project-1/us/5` }));
  assert.equal(sub.code, 'INVALID_INPUT', 'a host that merely starts like the front-end is another site');
  const noItem = errorOf(await h.call('resolve_ref', { ref: `${front}/project/project-1/kanban` }));
  assert.match(noItem.message, /expected a link to an item/);
  const words = errorOf(await h.call('resolve_ref', { ref: 'the login story' }));
  assert.match(words.message, /expected "#ref", a number or a Taiga web link/);
  const badEncoding = errorOf(await h.call('resolve_ref', { ref: `${front}/project/project-1/wiki/%E0%A4%A` }));
  assert.match(badEncoding.message, /not validly encoded/);
  const mismatch = errorOf(await h.call('resolve_ref', { ref: `${front}/project/project-1/us/5`, project_id: 'project-2' }));
  assert.deepEqual([mismatch.code, mismatch.details?.['fields']], ['INVALID_INPUT', { project_id: 'the link is of project project-1' }]);
  assert.equal(h.emulator.requests.filter((r) => r.path === '/api/v1/resolver').length, before, 'Taiga was not asked');
});

test('a ref nothing has is NOT_FOUND; a closed item says so', async () => {
  const missing = errorOf(await h.call('resolve_ref', { ref: '#9999', project_id: 1 }));
  assert.equal(missing.code, 'NOT_FOUND');
  assert.equal(errorOf(await h.call('resolve_ref', { ref: `${front}/project/project-1/us/9999` })).code, 'NOT_FOUND');
  const closed = dataOf<Resolved>(await h.call('resolve_ref', { ref: '#1', project_id: 1 }));
  assert.deepEqual([closed.kind, closed.closed], ['user_story', true]);
});
