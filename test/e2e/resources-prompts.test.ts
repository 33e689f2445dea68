import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/stdio-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all' } });
});
after(async () => h.close());

const textOf = (r: { contents: Array<{ mimeType?: string; text?: unknown }> }, mime: string) => String(r.contents.find((c) => c.mimeType === mime)?.text);

test('resource templates are listed, and the caller\'s projects as resources', async () => {
  const { resourceTemplates } = await h.client.listResourceTemplates();
  const templates = resourceTemplates.map((t) => t.uriTemplate);
  for (const t of ['taiga://projects/{project}', 'taiga://projects/{project}/user-stories/{ref}', 'taiga://projects/{project}/tasks/{ref}', 'taiga://projects/{project}/issues/{ref}', 'taiga://projects/{project}/epics/{ref}', 'taiga://projects/{project}/wiki/{slug}']) {
    assert.ok(templates.includes(t), t);
  }
  const { resources } = await h.client.listResources();
  assert.ok(resources.some((r) => r.uri === 'taiga://projects/project-1'));
});

test('reading a story by project slug and ref gives the lean data as JSON and the text rendering', async () => {
  const story = await h.client.readResource({ uri: 'taiga://projects/project-1/user-stories/5' });
  const data = JSON.parse(textOf(story, 'application/json')) as { ref: number; id: number; description?: string };
  assert.equal(data.ref, 5);
  assert.match(textOf(story, 'text/plain'), /^#5 "/);
  const project = JSON.parse(textOf(await h.client.readResource({ uri: 'taiga://projects/project-1' }), 'application/json')) as { project: { slug: string }; lookups: { us_statuses: string[] } };
  assert.equal(project.project.slug, 'project-1');
  const page = JSON.parse(textOf(await h.client.readResource({ uri: 'taiga://projects/project-1/wiki/home' }), 'application/json')) as { slug: string; content?: string };
  assert.equal(page.slug, 'home');
  await assert.rejects(h.client.readResource({ uri: 'taiga://projects/project-1/user-stories/99999' }), /No user story #99999/);
  await assert.rejects(h.client.readResource({ uri: 'taiga://nothing/here' }), /No resource/);
});

test('template variables complete: project slugs, then refs of that project', async () => {
  const projects = await h.client.complete({ ref: { type: 'ref/resource', uri: 'taiga://projects/{project}/tasks/{ref}' }, argument: { name: 'project', value: 'project-' } });
  assert.ok(projects.completion.values.includes('project-1'));
  const refs = await h.client.complete({ ref: { type: 'ref/resource', uri: 'taiga://projects/{project}/tasks/{ref}' }, argument: { name: 'ref', value: '' }, context: { arguments: { project: 'project-1' } } });
  assert.ok(refs.completion.values.length > 0 && refs.completion.values.every((r) => /^\d+$/.test(r)));
});

test('prompts fetch what they need and name the tools to call next', async () => {
  const { prompts } = await h.client.listPrompts();
  assert.deepEqual(prompts.map((p) => p.name).sort(), ['plan_sprint', 'standup', 'triage_issues']);
  const plan = await h.client.getPrompt({ name: 'plan_sprint', arguments: { project: 'project-1', sprint: 'Sprint 2026-9-27' } });
  const planText = (plan.messages[0]!.content as { text: string }).text;
  assert.match(planText, /Backlog, open stories in backlog order/);
  assert.match(planText, /move_user_stories_to_sprint/);
  const triage = (await h.client.getPrompt({ name: 'triage_issues', arguments: { project: 'project-1' } })).messages[0]!.content as { text: string };
  assert.match(triage.text, /Priorities: \["Low","Normal","High"\]/);
  assert.match(triage.text, /update_issue/);
  const standup = (await h.client.getPrompt({ name: 'standup', arguments: { project: 'project-1' } })).messages[0]!.content as { text: string };
  assert.match(standup.text, /Stand-up for @admin/);
  await assert.rejects(h.client.getPrompt({ name: 'plan_sprint', arguments: { project: 'project-1' } }), /Missing argument\(s\): sprint/);
});
