import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { dataOf, startHarness, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';
import { launchBrowser, showView, type ShownView, type ToolCallParams, type ViewBrowser } from '../helpers/view-host.js';

// Runs in the view's frame (serialized by puppeteer), where the DOM exists; this project's own code has no DOM types.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The MCP Apps views in Chromium, inside the official host bridge, fed with what the built server
 * answers against the emulator; every tool call a view makes goes through the host to that server.
 */
let h: Harness;
let vb: ViewBrowser;

const PROJECT = 'project-1';
const SPRINT = 'View sprint';
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '</script><script>window.__pwned=2</script>';
const TAG = '<b onmouseover="window.__pwned=3">tag</b>';
const COMMENT = '<img src=x onerror="window.__pwned=4"> and </script> in a comment';

const pad = (n: number) => String(n).padStart(2, '0');
/** A day in this machine's own calendar, as the view computes today. */
const dayOffset = (days: number): string => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

interface Story { id: number; ref: number; version: number; subject: string; status: string }
const stories: Record<'plain' | 'img' | 'script', Story> = {} as never;
let backlogStory: Story;

const forward = (harness: Harness) => (params: ToolCallParams) => harness.client.callTool({ name: params.name, arguments: params.arguments ?? {} });
const call = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> => dataOf<T>(await h.call(name, args));

async function viewPage(harness: Harness, uri: string): Promise<string> {
  const read = await harness.client.readResource({ uri });
  assert.equal(read.contents.length, 1, 'exactly one content per ui:// read');
  const [content] = read.contents as Array<{ uri: string; mimeType?: string; text?: string; _meta?: Record<string, unknown> }>;
  assert.equal(content!.mimeType, 'text/html;profile=mcp-app');
  return content!.text!;
}

interface ShowOpts {
  harness?: Harness;
  theme?: 'light' | 'dark';
  variables?: Record<string, string>;
  /** Runs after the tool answered and before the view gets the answer (a teammate acting meanwhile). */
  beforeRender?: () => Promise<void>;
  /** Stands between the view's tool calls and the server. */
  relay?: (params: ToolCallParams, send: () => Promise<unknown>) => Promise<unknown>;
}

async function show(name: string, args: Record<string, unknown>, opts: ShowOpts = {}): Promise<ShownView> {
  const harness = opts.harness ?? h;
  const result = (await harness.client.callTool({ name, arguments: args })) as CallToolResult;
  const tool = (await harness.client.listTools()).tools.find((t) => t.name === name)!;
  const uri = (tool._meta as { ui: { resourceUri: string } }).ui.resourceUri;
  await opts.beforeRender?.();
  const send = forward(harness);
  const callTool = opts.relay ? (p: ToolCallParams) => opts.relay!(p, () => send(p)) : send;
  return showView(vb, { html: await viewPage(harness, uri), toolInput: args, toolResult: result as unknown as Record<string, unknown>, callTool, ...(opts.theme && { theme: opts.theme }), ...(opts.variables && { variables: opts.variables }) });
}

const teammateStory = async (id: number) => (await asTeammate(h.emulator, 'GET', `/userstories/${id}`)).body as { version: number; subject: string; status_extra_info: { name: string } };

before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all' } });
  vb = await launchBrowser();
  await call('create_sprint', { project_id: PROJECT, name: SPRINT, start: dayOffset(-3), finish: dayOffset(4) });
  const create = async (subject: string, extra: Record<string, unknown>): Promise<Story> => {
    const s = await call<Story>('create_user_story', { project_id: PROJECT, subject, ...extra });
    return { id: s.id, ref: s.ref, version: s.version, subject: s.subject, status: s.status };
  };
  stories.plain = await create('Plain card with tasks', { sprint: SPRINT, status: 'New', points: { UX: '3', Back: '5' }, assigned_to: 'user2' });
  stories.img = await create(IMG, { sprint: SPRINT, status: 'New', tags: [TAG] });
  stories.script = await create(SCRIPT, { sprint: SPRINT, status: 'Ready', blocked: SCRIPT });
  backlogStory = await create('Waiting in the backlog', { status: 'New' });
  await call('create_task', { project_id: PROJECT, subject: 'First task', user_story: stories.plain.id, sprint: SPRINT, status: 'Closed' });
  await call('create_task', { project_id: PROJECT, subject: 'Second task', user_story: stories.plain.id, sprint: SPRINT });
  const commented = await call<Story>('update_user_story', { user_story_id: stories.plain.id, comment: COMMENT });
  stories.plain.version = commented.version;
});
after(async () => {
  await vb?.close();
  await h?.close();
});

test('the tools name their views in _meta (both keys); the ui:// resources are listed and read as one HTML content with a CSP', async () => {
  const { tools } = await h.client.listTools();
  const uriOf = (name: string) => (tools.find((t) => t.name === name)?._meta as { ui?: { resourceUri?: string }; 'ui/resourceUri'?: string } | undefined);
  for (const [tool, uri] of [['get_sprint', 'ui://taiga-mcp/sprint'], ['move_user_stories_to_sprint', 'ui://taiga-mcp/sprint'], ['get_project', 'ui://taiga-mcp/project'], ['get_user_story', 'ui://taiga-mcp/item'], ['get_task', 'ui://taiga-mcp/item'], ['get_issue', 'ui://taiga-mcp/item'], ['get_epic', 'ui://taiga-mcp/item']]) {
    assert.equal(uriOf(tool!)?.ui?.resourceUri, uri, tool);
    assert.equal(uriOf(tool!)?.['ui/resourceUri'], uri, tool);
  }
  assert.equal(uriOf('list_user_stories'), undefined);
  const { resources } = await h.client.listResources();
  for (const uri of ['ui://taiga-mcp/sprint', 'ui://taiga-mcp/project', 'ui://taiga-mcp/item']) {
    assert.equal(resources.find((r) => r.uri === uri)?.mimeType, 'text/html;profile=mcp-app', uri);
    const read = await h.client.readResource({ uri });
    assert.deepEqual((read.contents[0]!._meta as { ui: unknown }).ui, { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true });
  }
  assert.match(await viewPage(h, 'ui://taiga-mcp/sprint'), /<html lang="en" data-taiga-tools="get_sprint get_project list_user_stories list_tasks update_user_story">/);
  // Hosts without MCP Apps get what they always got.
  const sprint = await h.call('get_sprint', { sprint_id: SPRINT, project_id: PROJECT });
  assert.equal(sprint._meta, undefined);
  assert.match((sprint.content[0] as { text: string }).text, /^sprint id=\d+ "View sprint"/);
});

test('sprint board: a column per status in Taiga\'s order (closed marked), every story\'s card, task counts; the burndown stops at today', async () => {
  const sv = await show('get_sprint', { sprint_id: SPRINT, project_id: PROJECT });
  try {
    await sv.frame.waitForSelector('.board .card');
    const { lookups } = await call<{ lookups: { us_statuses: string[]; closed_statuses: { user_story: string[] } } }>('get_project', { project_id: PROJECT });
    assert.deepEqual(await sv.frame.$$eval('.column', (els) => els.map((e: any) => e.getAttribute('data-status'))), lookups.us_statuses);
    const closedColumns = await sv.frame.$$eval('.column', (els) => els.filter((e: any) => e.querySelector('.badge.closed')).map((e: any) => e.getAttribute('data-status')));
    assert.deepEqual(closedColumns, lookups.closed_statuses.user_story);

    const visibleRefs = await sv.frame.$$eval('.card .ref', (els) => els.filter((e: any) => e.offsetParent !== null).map((e: any) => e.textContent));
    assert.deepEqual(visibleRefs.sort(), Object.values(stories).map((s) => `#${s.ref}`).sort());
    const card = (s: Story, sel: string) => sv.frame.$eval(`.card[data-id="${s.id}"] ${sel}`, (e: any) => e.textContent);
    assert.equal(await sv.frame.$eval(`.card[data-id="${stories.plain.id}"]`, (e: any) => e.closest('.column').getAttribute('data-status')), 'New');
    assert.equal(await sv.frame.$eval(`.card[data-id="${stories.script.id}"]`, (e: any) => e.closest('.column').getAttribute('data-status')), 'Ready');
    assert.equal(await card(stories.plain, '.tasks'), 'tasks 1/2');
    assert.equal(await card(stories.plain, '.points'), '8 pt');
    assert.equal(await card(stories.plain, '.assignee'), '@user2');
    assert.equal(await card(stories.script, '.badge.blocked'), 'Blocked');

    // User text shows as the characters it is; nothing in it ran or became an element.
    assert.equal(await card(stories.img, '.subject'), IMG);
    assert.equal(await card(stories.img, '.tags li'), TAG);
    assert.equal(await card(stories.script, '.subject'), SCRIPT);
    assert.equal(await sv.frame.$$eval('main img, main b, main script', (els) => els.length), 0);
    assert.equal(await sv.frame.evaluate(() => window.__pwned), undefined);

    const sprint = await call<{ stats: { burndown: Array<{ day: string }> } }>('get_sprint', { sprint_id: SPRINT, project_id: PROJECT, include: ['burndown'] });
    const days = sprint.stats.burndown;
    assert.equal(days.length, 8);
    const pointsOf = (sel: string) => sv.frame.$eval(sel, (e: any) => e.getAttribute('points').trim().split(/\s+/).length);
    assert.equal(await pointsOf('.burndown .ideal'), days.length);
    assert.equal(await pointsOf('.burndown .remaining'), days.filter((d) => d.day <= dayOffset(0)).length);
    assert.equal(await sv.frame.$$eval('.burndown .remaining-point', (els) => els.length), 4);
    assert.equal(await sv.frame.$$eval('.burndown .today', (els) => els.length), 1);
    assert.deepEqual(sv.requests.filter((u) => !/^(about|data):/.test(u)), [], 'no request leaves the page');
    assert.deepEqual(sv.errors, []);
  } finally {
    await sv.close();
  }
});

test('a past sprint\'s burndown has a point for every day and no today mark', async () => {
  const sv = await show('get_sprint', { sprint_id: 1 });
  try {
    await sv.frame.waitForSelector('.burndown');
    const days = (await call<{ stats: { burndown: unknown[] } }>('get_sprint', { sprint_id: 1, include: ['burndown'] })).stats.burndown.length;
    assert.equal(await sv.frame.$$eval('.burndown .remaining-point', (els) => els.length), days);
    assert.equal(await sv.frame.$$eval('.burndown .today', (els) => els.length), 0);
  } finally {
    await sv.close();
  }
});

test('get_sprint sends the burndown only when asked; the sprint view asks for it on every call of its own', async () => {
  const lean = await h.call('get_sprint', { sprint_id: SPRINT, project_id: PROJECT });
  assert.equal(dataOf<{ stats: { burndown?: unknown } }>(lean).stats.burndown, undefined);
  assert.doesNotMatch((lean.content[0] as { text: string }).text, /burndown/);
  const asked = (sv: ShownView) => sv.calls.filter((c) => c.name === 'get_sprint').map((c) => c.arguments?.['include']);
  const sv = await show('get_sprint', { sprint_id: SPRINT, project_id: PROJECT });
  try {
    await sv.frame.waitForSelector('.burndown .remaining-point');
    await sv.frame.waitForSelector('.board .card');
    assert.deepEqual(asked(sv), [['burndown']], 'the agent\'s answer had no burndown: the view read the sprint again, asking for it');
    await (await sv.frame.$('button.refresh'))!.click();
    // The board is already drawn: wait for the refresh's own call, not for what the first one drew.
    for (let i = 0; i < 400 && asked(sv).length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await sv.frame.waitForFunction(() => document.querySelectorAll('.burndown .remaining-point').length > 0 && document.querySelectorAll('.board .card').length > 0);
    assert.deepEqual(asked(sv), [['burndown'], ['burndown']], 'Refresh asks for it too');
    assert.deepEqual(sv.errors, []);
  } finally {
    await sv.close();
  }
  const full = await show('get_sprint', { sprint_id: SPRINT, project_id: PROJECT, include: ['burndown'] });
  try {
    await full.frame.waitForSelector('.burndown .remaining-point');
    assert.deepEqual(asked(full), [], 'an answer with the burndown is shown as it is');
  } finally {
    await full.close();
  }
});

async function drag(sv: ShownView, card: string, column: string, opts: { cancel?: boolean } = {}): Promise<void> {
  const a = (await (await sv.frame.$(card))!.boundingBox())!;
  const b = (await (await sv.frame.$(column))!.boundingBox())!;
  await sv.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await sv.page.mouse.down();
  await sv.page.mouse.move(b.x + b.width / 2, b.y + 40, { steps: 10 });
  if (opts.cancel) {
    // Where the pointer is, in the view's own coordinates.
    await sv.frame.$eval(card, (el: any, sel: string) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      el.dispatchEvent(new window.PointerEvent('pointercancel', { bubbles: true, pointerId: 1, clientX: r.left + r.width / 2, clientY: r.top + 40 }));
    }, column);
  }
  await sv.page.mouse.up();
}

const columnOf = (sv: ShownView, id: number) => sv.frame.$eval(`.card[data-id="${id}"]`, (e: any) => e.closest('.column').getAttribute('data-status'));
const settled = (sv: ShownView, id: number, status: string) =>
  sv.frame.waitForFunction((cardId: number, want: string) => {
    const c = document.querySelector(`.card[data-id="${cardId}"]`);
    return c && !c.classList.contains('saving') && c.closest('.column').getAttribute('data-status') === want;
  }, {}, id, status);

test('a card dragged by pointer to another column calls update_user_story with the shown version; the emulator has it and the card shows the result', async () => {
  const sv = await show('get_sprint', { sprint_id: SPRINT, project_id: PROJECT });
  try {
    await sv.frame.waitForSelector(`.card[data-id="${stories.plain.id}"]`);
    const shown = Number(await sv.frame.$eval(`.card[data-id="${stories.plain.id}"]`, (e: any) => e.getAttribute('data-version')));
    await drag(sv, `.card[data-id="${stories.plain.id}"]`, '.column[data-status="New"]');
    assert.deepEqual(sv.calls.filter((c) => c.name === 'update_user_story'), [], 'dropped where it was: nothing to write');
    // A drag the browser cancels (pointercancel) over another column moves nothing.
    await drag(sv, `.card[data-id="${stories.plain.id}"]`, '.column[data-status="Done"]', { cancel: true });
    assert.equal(await columnOf(sv, stories.plain.id), 'New');
    assert.deepEqual(sv.calls.filter((c) => c.name === 'update_user_story'), [], 'a cancelled drag writes nothing');
    await drag(sv, `.card[data-id="${stories.plain.id}"]`, '.column[data-status="In progress"]');
    await settled(sv, stories.plain.id, 'In progress');
    const update = sv.calls.filter((c) => c.name === 'update_user_story');
    assert.deepEqual(update, [{ name: 'update_user_story', arguments: { user_story_id: stories.plain.id, version: shown, status: 'In progress' } }]);
    const now = await teammateStory(stories.plain.id);
    assert.equal(now.status_extra_info.name, 'In progress');
    assert.equal(now.version, shown + 1);
    assert.equal(await sv.frame.$eval(`.card[data-id="${stories.plain.id}"]`, (e: any) => Number(e.getAttribute('data-version'))), now.version, 'the card is refreshed from the result');
    assert.equal(await sv.frame.$eval('.column[data-status="In progress"] .count', (e: any) => e.textContent), '1');
    assert.deepEqual(sv.errors, []);
  } finally {
    await sv.close();
  }
});

test('a card moved by keyboard (Space, arrows, Enter) is written the same way; Escape puts it back without a call; a card being saved does not move again', async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const sv = await show('get_sprint', { sprint_id: SPRINT, project_id: PROJECT }, { relay: async (p, send) => (p.name === 'update_user_story' && (await held), send()) });
  try {
    const card = (await sv.frame.waitForSelector(`.card[data-id="${stories.img.id}"]`))!;
    const shown = Number(await card.evaluate((e: any) => e.getAttribute('data-version')));
    await card.focus();
    await sv.page.keyboard.press('Space');
    await sv.page.keyboard.press('ArrowRight');
    await sv.page.keyboard.press('Escape');
    assert.equal(await columnOf(sv, stories.img.id), 'New');
    await sv.page.keyboard.press('Enter');
    for (let i = 0; i < 3; i += 1) await sv.page.keyboard.press('ArrowRight');
    assert.equal(await sv.frame.$eval('.column.target', (e: any) => e.getAttribute('data-status')), 'Ready for test');
    await sv.page.keyboard.press('Enter');
    await sv.frame.waitForSelector(`.card.saving[data-id="${stories.img.id}"]`);
    await card.focus();
    await sv.page.keyboard.press('Space');
    await sv.page.keyboard.press('ArrowRight');
    await sv.page.keyboard.press('Enter');
    await drag(sv, `.card[data-id="${stories.img.id}"]`, '.column[data-status="Done"]');
    release();
    await settled(sv, stories.img.id, 'Ready for test');
    assert.deepEqual(sv.calls.filter((c) => c.name === 'update_user_story'), [{ name: 'update_user_story', arguments: { user_story_id: stories.img.id, version: shown, status: 'Ready for test' } }]);
    assert.equal((await teammateStory(stories.img.id)).status_extra_info.name, 'Ready for test');
    assert.equal(await sv.frame.$eval(`.card[data-id="${stories.img.id}"] .subject`, (e: any) => e.textContent), IMG);
    assert.equal(await sv.frame.evaluate(() => window.__pwned), undefined);
  } finally {
    await sv.close();
  }
});

test('a story changed since the board was shown: the move is a VERSION_CONFLICT shown on the card, which goes back, and nothing is written', async () => {
  const before = await teammateStory(stories.script.id);
  // The teammate writes after get_sprint answered: the board shows what the tool returned, not the newer tags.
  const teammate = async () => assert.equal((await asTeammate(h.emulator, 'PATCH', `/userstories/${stories.script.id}`, { subject: 'Renamed by a teammate', tags: ['teammate-tag'], version: before.version })).status, 200);
  // Asked with the burndown, the answer is all the view shows: it reads nothing again before a move.
  const sv = await show('get_sprint', { sprint_id: SPRINT, project_id: PROJECT, include: ['burndown'] }, { beforeRender: teammate });
  try {
    await sv.frame.waitForSelector(`.card[data-id="${stories.script.id}"]`);
    assert.equal(await sv.frame.$eval(`.card[data-id="${stories.script.id}"] .subject`, (e: any) => e.textContent), SCRIPT);
    assert.equal(await sv.frame.$$eval(`.card[data-id="${stories.script.id}"] .tags li`, (els) => els.length), 0);
    const card = (await sv.frame.$(`.card[data-id="${stories.script.id}"]`))!;
    await card.focus();
    await sv.page.keyboard.press('Space');
    for (let i = 0; i < 3; i += 1) await sv.page.keyboard.press('ArrowRight');
    await sv.page.keyboard.press('Enter');
    await sv.frame.waitForSelector(`.card[data-id="${stories.script.id}"][data-error="VERSION_CONFLICT"]`);
    assert.equal(await columnOf(sv, stories.script.id), 'Ready', 'back in its column');
    assert.match(await sv.frame.$eval(`.card[data-id="${stories.script.id}"] .card-error`, (e: any) => e.textContent), /changed since this board was shown\. Nothing was written/);
    const after = await teammateStory(stories.script.id);
    assert.equal(after.status_extra_info.name, 'Ready');
    assert.equal(after.version, before.version + 1, 'only the teammate\'s write');
    assert.equal(after.subject, 'Renamed by a teammate');

    // Refresh reads the sprint again through the host: the card now shows the teammate's version, and moves.
    await (await sv.frame.$('button.refresh'))!.click();
    await sv.frame.waitForFunction((id: number, v: number) => document.querySelector(`.card[data-id="${id}"]`)?.getAttribute('data-version') === String(v), {}, stories.script.id, after.version);
    assert.equal(await sv.frame.$eval(`.card[data-id="${stories.script.id}"] .subject`, (e: any) => e.textContent), 'Renamed by a teammate');
    assert.equal(await sv.frame.$eval(`.card[data-id="${stories.script.id}"] .tags li`, (e: any) => e.textContent), 'teammate-tag');
    await drag(sv, `.card[data-id="${stories.script.id}"]`, '.column[data-status="Done"]');
    await settled(sv, stories.script.id, 'Done');
    assert.equal((await teammateStory(stories.script.id)).status_extra_info.name, 'Done');
    assert.deepEqual(sv.errors, []);
  } finally {
    await sv.close();
  }
});

test('a read-only server\'s board offers no move: no update_user_story in the page, no movable card, nothing called or written', async () => {
  const ro = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TAIGA_READ_ONLY: 'true' }, emulator: h.emulator });
  try {
    assert.match(await viewPage(ro, 'ui://taiga-mcp/sprint'), /data-taiga-tools="get_sprint get_project list_user_stories list_tasks"/);
    const sv = await show('get_sprint', { sprint_id: SPRINT, project_id: PROJECT }, { harness: ro });
    try {
      const card = (await sv.frame.waitForSelector(`.card[data-id="${stories.plain.id}"]`))!;
      assert.equal(await sv.frame.$$eval('.board.movable, .card[aria-roledescription]', (els) => els.length), 0);
      assert.match(await sv.frame.$eval('.board-slot', (e: any) => e.textContent), /Read-only/);
      const status = await columnOf(sv, stories.plain.id);
      await card.focus();
      await sv.page.keyboard.press('Space');
      await sv.page.keyboard.press('ArrowRight');
      await sv.page.keyboard.press('Enter');
      const a = (await card.boundingBox())!;
      const b = (await (await sv.frame.$('.column[data-status="Done"]'))!.boundingBox())!;
      await sv.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await sv.page.mouse.down();
      await sv.page.mouse.move(b.x + b.width / 2, b.y + 40, { steps: 5 });
      await sv.page.mouse.up();
      assert.equal(await columnOf(sv, stories.plain.id), status);
      assert.deepEqual(sv.calls.filter((c) => c.name === 'update_user_story'), []);
      assert.equal((await teammateStory(stories.plain.id)).status_extra_info.name, status);
    } finally {
      await sv.close();
    }
  } finally {
    await ro.close();
  }
});

test('the sprint view on move_user_stories_to_sprint shows the sprint the stories went to, fetched through the host', async () => {
  const args = { project_id: PROJECT, user_story_ids: [`#${backlogStory.ref}`], sprint: SPRINT };
  const sv = await show('move_user_stories_to_sprint', args);
  try {
    await sv.frame.waitForSelector(`.card[data-id="${backlogStory.id}"]`);
    assert.equal(await sv.frame.$eval('h1', (e: any) => e.textContent), SPRINT);
    assert.ok(sv.calls.some((c) => c.name === 'get_sprint' && c.arguments?.['sprint_id'] === SPRINT && c.arguments?.['project_id'] === PROJECT && JSON.stringify(c.arguments?.['include']) === '["burndown"]'));
  } finally {
    await sv.close();
  }
});

test('project view: open sprints with their points, epics with closed/total stories and points, issues counted by status, priority and severity', async () => {
  const sv = await show('get_project', { project_id: PROJECT });
  try {
    await sv.frame.waitForSelector('.count-group');
    await sv.frame.waitForSelector('.epic');
    const open = await call<{ items: Array<{ id: number; name: string }> }>('list_sprints', { project_id: PROJECT, state: 'open', page_size: 100 });
    assert.deepEqual(await sv.frame.$$eval('[data-sprint] strong', (els) => els.map((e: any) => e.textContent)), open.items.map((s) => s.name));

    const epics = await call<{ items: Array<{ id: number; ref: number }> }>('list_epics', { project_id: PROJECT, page_size: 100 });
    const epic = epics.items[0]!;
    const linked = await call<{ items: Array<{ closed?: boolean; total_points?: number }> }>('list_epic_user_stories', { epic_id: epic.id, page_size: 100 });
    const closed = linked.items.filter((s) => s.closed);
    const pts = (l: typeof linked.items) => Math.round(l.reduce((n, s) => n + (s.total_points ?? 0), 0) * 10) / 10;
    assert.equal(await sv.frame.$eval(`.epic[data-ref="${epic.ref}"] .num`, (e: any) => e.textContent), `${closed.length}/${linked.items.length} stories · ${pts(closed)}/${pts(linked.items)} pt`);

    const issues = await call<{ items: Array<{ status: string; priority: string; severity: string }>; has_next: boolean }>('list_issues', { project_id: PROJECT, page_size: 100 });
    assert.equal(issues.has_next, false);
    for (const by of ['status', 'priority', 'severity'] as const) {
      const expected = new Map<string, number>();
      for (const i of issues.items) expected.set(i[by], (expected.get(i[by]) ?? 0) + 1);
      const shown = await sv.frame.$$eval(`[data-by="${by}"] .row`, (els) => els.map((e: any) => [e.getAttribute('data-name'), Number(e.querySelector('.num').textContent)]));
      assert.deepEqual(Object.fromEntries((shown as Array<[string, number]>).filter(([, n]) => n > 0)), Object.fromEntries(expected), by);
    }
    assert.deepEqual(sv.requests.filter((u) => !/^(about|data):/.test(u)), []);
    assert.deepEqual(sv.errors, []);
  } finally {
    await sv.close();
  }
});

test('item view: a story\'s fields, its tasks, its history with comments (as text); a task, an issue and an epic render too', async () => {
  const sv = await show('get_user_story', { user_story_id: stories.plain.id });
  try {
    await sv.frame.waitForSelector('.history');
    await sv.frame.waitForSelector('.related');
    assert.equal(await sv.frame.$eval('h1 .subject', (e: any) => e.textContent), 'Plain card with tasks');
    assert.equal(await sv.frame.$eval('[data-field="assigned_to"]', (e: any) => e.textContent), '@user2');
    const tasks = await call<{ items: Array<{ ref: number }> }>('list_tasks', { project_id: PROJECT, user_story: stories.plain.id });
    assert.deepEqual(await sv.frame.$$eval('.related li .ref', (els) => els.map((e: any) => e.textContent)), tasks.items.map((t) => `#${t.ref}`));
    assert.deepEqual(await sv.frame.$$eval('.entry.comment .text', (els) => els.map((e: any) => e.textContent)), [COMMENT]);
    assert.equal(await sv.frame.$$eval('main img', (els) => els.length), 0);
    assert.equal(await sv.frame.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(sv.errors, []);
  } finally {
    await sv.close();
  }
  const injected = await show('get_user_story', { user_story_id: stories.script.id });
  try {
    await injected.frame.waitForSelector('.blocked-note');
    assert.equal(await injected.frame.$eval('.blocked-note', (e: any) => e.textContent), `Blocked: ${SCRIPT}`);
    assert.equal(await injected.frame.evaluate(() => window.__pwned), undefined);
  } finally {
    await injected.close();
  }
  const task = (await call<{ items: Array<{ id: number; subject: string }> }>('list_tasks', { project_id: PROJECT, page_size: 1 })).items[0]!;
  const issue = (await call<{ items: Array<{ id: number; subject: string }> }>('list_issues', { project_id: PROJECT, page_size: 1 })).items[0]!;
  const epic = (await call<{ items: Array<{ id: number; subject: string; user_stories?: { total: number } }> }>('list_epics', { project_id: PROJECT, page_size: 1 })).items[0]!;
  for (const [tool, arg, item, label] of [['get_task', 'task_id', task, 'Task'], ['get_issue', 'issue_id', issue, 'Issue'], ['get_epic', 'epic_id', epic, 'Epic']] as const) {
    const shown = await show(tool, { [arg]: item.id });
    try {
      await shown.frame.waitForSelector('.history');
      assert.equal(await shown.frame.$eval('h1 .kind', (e: any) => e.textContent), label);
      assert.equal(await shown.frame.$eval('h1 .subject', (e: any) => e.textContent), item.subject);
      if (tool === 'get_epic') assert.equal(await shown.frame.$$eval('.related li', (els) => els.length), epic.user_stories?.total);
    } finally {
      await shown.close();
    }
  }
});

test('views follow the host\'s theme: light, dark, and the host\'s own colour variables', async () => {
  const luminance = async (sv: ShownView) => {
    const rgb = (await sv.frame.evaluate(() => window.getComputedStyle(document.body).backgroundColor)) as string;
    const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
    return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
  };
  for (const theme of ['light', 'dark'] as const) {
    const sv = await show('get_issue', { issue_id: 1 }, { theme });
    try {
      await sv.frame.waitForSelector('.head');
      assert.equal(await sv.frame.evaluate(() => document.documentElement.getAttribute('data-theme')), theme);
      const l = await luminance(sv);
      assert.ok(theme === 'dark' ? l < 0.2 : l > 0.8, `${theme}: background luminance ${l}`);
    } finally {
      await sv.close();
    }
  }
  const sv = await show('get_issue', { issue_id: 1 }, { variables: { '--color-background-primary': 'rgb(10, 20, 30)' } });
  try {
    await sv.frame.waitForSelector('.head');
    assert.equal(await sv.frame.evaluate(() => window.getComputedStyle(document.body).backgroundColor), 'rgb(10, 20, 30)');
  } finally {
    await sv.close();
  }
});

test('a server with few toolsets offers only the views of its tools, and a view calls no tool the server does not offer', async () => {
  const few = await startHarness({ env: { TAIGA_TOOLSETS: 'projects' }, emulator: h.emulator });
  try {
    const { resources } = await few.client.listResources();
    assert.deepEqual(resources.filter((r) => r.uri.startsWith('ui://')).map((r) => r.uri), ['ui://taiga-mcp/project']);
    await assert.rejects(few.client.readResource({ uri: 'ui://taiga-mcp/sprint' }), /No resource "ui:\/\/taiga-mcp\/sprint"\./);
    assert.match(await viewPage(few, 'ui://taiga-mcp/project'), /data-taiga-tools=""/);
    const sv = await show('get_project', { project_id: PROJECT }, { harness: few });
    try {
      await sv.frame.waitForFunction(() => document.querySelectorAll('.section').length === 3);
      const { lookups } = await call<{ lookups: { sprints: Array<{ name: string; closed?: boolean }> } }>('get_project', { project_id: PROJECT });
      assert.deepEqual(await sv.frame.$$eval('.section ul.rows li', (els) => els.map((e: any) => e.textContent)), lookups.sprints.filter((s) => !s.closed).map((s) => s.name));
      assert.match(await sv.frame.$eval('main', (e: any) => e.textContent), /Issue counts need list_issues/);
      assert.deepEqual(sv.calls, []);
    } finally {
      await sv.close();
    }
  } finally {
    await few.close();
  }
});

test('an epic colour that is not a plain hex colour is not applied (a CSS url() would be a request)', async () => {
  const epic = (await call<{ items: Array<{ id: number; ref: number }> }>('list_epics', { project_id: PROJECT, page_size: 1 })).items[0]!;
  const raw = (await asTeammate(h.emulator, 'GET', `/epics/${epic.id}`)).body as { version: number; color: string };
  const patch = (color: string, version: number) => asTeammate(h.emulator, 'PATCH', `/epics/${epic.id}`, { color, version });
  assert.equal((await patch('url(http://127.0.0.1:9/c.png)', raw.version)).status, 200);
  try {
    for (const [tool, args, ready] of [['get_project', { project_id: PROJECT }, '.epic'], ['get_epic', { epic_id: epic.id }, '.history']] as const) {
      const sv = await show(tool, args);
      try {
        await sv.frame.waitForSelector(ready);
        assert.deepEqual(sv.requests.filter((u) => !/^(about|data):/.test(u)), [], tool);
      } finally {
        await sv.close();
      }
    }
  } finally {
    await patch(raw.color, raw.version + 1);
  }
});

test('script text inlined into a page cannot end its <script> element early, whatever strings it holds', async () => {
  const { inlineScript, inlineStyle } = await import('../build/views.js');
  const js = 'var s = "</script><img src=x onerror=\\"window.__pwned=1\\">"; var t = "<!--<script>"; var r = /<\\/SCRIPT>/i; window.__ran = s + t + r.source;';
  const page = await vb.browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><body><p id="after">after</p><script>${inlineScript(js)}</script><p id="tail">tail</p></body></html>`);
    assert.equal(await page.evaluate(() => window.__ran), '</script><img src=x onerror="window.__pwned=1"><!--<script><\\/SCRIPT>');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.evaluate(() => document.getElementById('tail')?.textContent), 'tail');
  } finally {
    await page.close();
  }
  assert.throws(() => inlineStyle('a{color:red}</style><script>alert(1)</script>'), /<\/style/);
});
