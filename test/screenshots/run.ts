// `npm run screenshots`: the README's pictures of the MCP Apps views (docs/views/*.png), light and
// dark, taken in Chromium inside the official host bridge with the built server against the demo
// Taiga. Not part of npm test: pictures are reviewed by eye, then committed.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { dataOf, startHarness, type Harness } from '../helpers/stdio-harness.js';
import { launchBrowser, showView, type ViewBrowser } from '../helpers/view-host.js';

const OUT = fileURLToPath(new URL('../../../docs/views/', import.meta.url));
const PROJECT = 'project-1';
const SPRINT = 'Sprint 14';

const day = (offset: number): string => {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return d.toISOString().slice(0, 10);
};

/** A sprint under way: stories across the board, some tasks done, one story blocked. */
async function plannedSprint(h: Harness): Promise<void> {
  const call = async (name: string, args: Record<string, unknown>) => dataOf<{ id: number }>(await h.call(name, args));
  await call('create_sprint', { project_id: PROJECT, name: SPRINT, start: day(-6), finish: day(7) });
  const stories: Array<[string, string, Record<string, string>, string[], string | null, number, number]> = [
    ['Sign in with a magic link', 'Done', { UX: '2', Back: '3' }, ['auth'], 'user2', 3, 3],
    ['Rate-limit the password reset form', 'Ready for test', { Back: '5' }, ['auth', 'security'], 'user3', 2, 2],
    ['Export the backlog as CSV', 'In progress', { Front: '3', Back: '5' }, ['export'], 'user6', 4, 2],
    ['Show the burndown on the sprint page', 'In progress', { UX: '3', Front: '8' }, ['charts'], 'admin', 3, 1],
    ['Keyboard shortcuts for the board', 'Ready', { UX: '2', Front: '3' }, ['a11y'], 'user2', 2, 0],
    ['Archive closed sprints after 90 days', 'New', { Back: '8' }, [], null, 0, 0],
    ['Webhook retries with back-off', 'New', { Back: '13' }, ['integrations'], 'user3', 1, 0],
  ];
  for (const [subject, status, points, tags, assignee, tasks, done] of stories) {
    const story = await call('create_user_story', { project_id: PROJECT, subject, status, points, tags, sprint: SPRINT, ...(assignee && { assigned_to: assignee }), ...(subject.startsWith('Export') && { is_blocked: true, blocked_note: 'Waiting for the file storage decision' }) });
    for (let i = 0; i < tasks; i += 1) await call('create_task', { project_id: PROJECT, subject: `Step ${i + 1}`, user_story: story.id, sprint: SPRINT, ...(i < done && { status: 'Closed' }) });
  }
}

async function shoot(vb: ViewBrowser, h: Harness, name: string, tool: string, args: Record<string, unknown>, ready: string[]): Promise<void> {
  const result = (await h.client.callTool({ name: tool, arguments: args })) as CallToolResult;
  const uri = ((await h.client.listTools()).tools.find((t) => t.name === tool)!._meta as { ui: { resourceUri: string } }).ui.resourceUri;
  const html = String(((await h.client.readResource({ uri })).contents[0] as { text: string }).text);
  for (const theme of ['light', 'dark'] as const) {
    const sv = await showView(vb, { html, toolInput: args, toolResult: result as unknown as Record<string, unknown>, callTool: (p) => h.client.callTool({ name: p.name, arguments: p.arguments ?? {} }), theme, width: 1100 });
    for (const selector of ready) await sv.frame.waitForSelector(selector);
    // The host resizes the frame when the view reports its size: wait until it has.
    await sv.page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { offsetHeight: number } } }).document.getElementById('view').offsetHeight > 200);
    await new Promise((r) => setTimeout(r, 300));
    await (await sv.page.$('body'))!.screenshot({ path: `${OUT}${name}-${theme}.png` });
    await sv.close();
    process.stderr.write(`screenshots: docs/views/${name}-${theme}.png\n`);
  }
}

mkdirSync(OUT, { recursive: true });
const h = await startHarness({ env: { TAIGA_TOOLSETS: 'all' } });
const vb = await launchBrowser();
try {
  await plannedSprint(h);
  await shoot(vb, h, 'sprint', 'get_sprint', { sprint_id: SPRINT, project_id: PROJECT }, ['.board .card', '.burndown']);
  await shoot(vb, h, 'project', 'get_project', { project_id: PROJECT }, ['.count-group', '.epic']);
  const story = dataOf<{ items: Array<{ id: number }> }>(await h.call('list_user_stories', { project_id: PROJECT, search: 'Export the backlog', page_size: 1 })).items[0]!;
  await h.call('update_user_story', { user_story_id: story.id, comment: 'Blocked until we pick S3 or local disk; see the wiki page "storage".' });
  await shoot(vb, h, 'item', 'get_user_story', { user_story_id: story.id }, ['.history', '.related']);
} finally {
  await vb.close();
  await h.close();
}
