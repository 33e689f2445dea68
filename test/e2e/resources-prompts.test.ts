import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** What a server with these settings offers besides tools, and what it answers for each of them. */
async function offered(env: Record<string, string>): Promise<{ templates: string[]; resources: string[]; prompts: string[]; answers: string[]; requests: number }> {
  const hidden = await startHarness({ env });
  try {
    const before = hidden.emulator.requests.length;
    const templates = (await hidden.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    const resources = (await hidden.client.listResources()).resources.map((r) => r.uri);
    const prompts = (await hidden.client.listPrompts()).prompts.map((p) => p.name);
    const answer = (p: Promise<unknown>) => p.then((r) => `served ${JSON.stringify(r).slice(0, 60)}`, (e: Error) => e.message);
    const answers = [
      await answer(hidden.client.readResource({ uri: 'taiga://projects/project-1/user-stories/5' })),
      await answer(hidden.client.readResource({ uri: 'taiga://projects/project-1/wiki/home' })),
      await answer(hidden.client.readResource({ uri: 'taiga://projects/project-1' })),
      await answer(hidden.client.complete({ ref: { type: 'ref/resource', uri: 'taiga://projects/{project}/user-stories/{ref}' }, argument: { name: 'ref', value: '' }, context: { arguments: { project: 'project-1' } } })),
      await answer(hidden.client.getPrompt({ name: 'plan_sprint', arguments: { project: 'project-1', sprint: 'Sprint 2026-9-27' } })),
      await answer(hidden.client.getPrompt({ name: 'triage_issues', arguments: { project: 'project-1' } })),
      await answer(hidden.client.getPrompt({ name: 'standup', arguments: { project: 'project-1' } })),
    ];
    return { templates, resources, prompts, answers, requests: hidden.emulator.requests.length - before };
  } finally {
    await hidden.close();
  }
}

test('resources and prompts follow the toolsets: with only auth enabled, nothing is listed, read, completed or run', async () => {
  const auth = await offered({ TAIGA_TOOLSETS: 'auth' });
  assert.deepEqual([auth.templates, auth.resources, auth.prompts], [[], [], []]);
  assert.deepEqual(auth.answers, [
    'MCP error -32602: No resource "taiga://projects/project-1/user-stories/5".',
    'MCP error -32602: No resource "taiga://projects/project-1/wiki/home".',
    'MCP error -32602: No resource "taiga://projects/project-1".',
    'served {"completion":{"values":[],"hasMore":false}}',
    'MCP error -32602: No prompt "plan_sprint".',
    'MCP error -32602: No prompt "triage_issues".',
    'MCP error -32602: No prompt "standup".',
  ]);
  assert.equal(auth.requests, 0, 'Taiga was never asked');
});

test('resources and prompts follow tools.exclude and read-only mode', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-scope-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ tools: { toolsets: 'all', exclude: ['get_user_story', 'list_wiki_pages', 'assign_issue'] } }));
  const excluded = await offered({ TAIGA_MCP_CONFIG: config, TAIGA_TOOLSETS: '' });
  assert.ok(!excluded.templates.some((t) => t.includes('user-stories') || t.includes('wiki')), excluded.templates.join(' '));
  assert.ok(excluded.templates.includes('taiga://projects/{project}/tasks/{ref}'));
  assert.deepEqual(excluded.prompts.sort(), ['plan_sprint', 'standup'], 'triage_issues tells the agent to call assign_issue');
  assert.match(excluded.answers[0]!, /No resource "taiga:\/\/projects\/project-1\/user-stories\/5"/);
  assert.match(excluded.answers[1]!, /No resource/);
  assert.match(excluded.answers[2]!, /^served/);
  assert.match(excluded.answers[3]!, /"values":\[\]/, 'no completion of a hidden template');
  assert.match(excluded.answers[5]!, /No prompt "triage_issues"/);

  const readOnly = await offered({ TAIGA_TOOLSETS: 'all', TAIGA_READ_ONLY: 'true' });
  assert.equal(readOnly.templates.length, 6, 'every resource only reads');
  assert.deepEqual(readOnly.prompts, ['standup'], 'plan_sprint and triage_issues end in writes');
  assert.match(readOnly.answers[4]!, /No prompt "plan_sprint"/);
  assert.match(readOnly.answers[6]!, /^served/);

  const projects = await offered({ TAIGA_TOOLSETS: 'projects' });
  assert.deepEqual([projects.templates, projects.prompts], [['taiga://projects/{project}'], []], 'standup also lists tasks and stories');
  assert.ok(projects.resources.includes('taiga://projects/project-1'));
});
