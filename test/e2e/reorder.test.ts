import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';

let h: Harness;
let asked: string[] = [];
before(async () => {
  h = await startHarness({
    env: { TAIGA_TOOLSETS: 'default,sprints', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' },
    elicitation: ({ message }) => {
      asked.push(message);
      return { action: 'decline' };
    },
  });
});
beforeEach(() => {
  h.emulator.reset();
  asked = [];
});
after(async () => h.close());

type Raw = Record<string, unknown>;
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

/** Taiga's own view: the refs of a cell in its order field. */
async function order(query: string, key: string): Promise<number[]> {
  const stories = (await asTeammate(h.emulator, 'GET', `/userstories?project=1&${query}&page_size=100`)).body as Raw[];
  return stories.sort((a, b) => Number(a[key]) - Number(b[key]) || Number(a['id']) - Number(b['id'])).map((s) => s['ref'] as number);
}

test('backlog: stories go before another, in the order given, as Taiga\'s backlog_order shows', async () => {
  const backlog = await order('milestone=null', 'backlog_order');
  const [a, b, c, d] = backlog.slice(-4) as [number, number, number, number];
  const anchor = backlog[1]!;
  const result = await h.call('reorder_user_stories', { project_id: 'project-1', user_story_ids: [`#${d}`, `#${b}`], before: `#${anchor}`, sprint: null });
  assert.deepEqual(dataOf(result), { moved: [d, b], backlog: true, before: anchor });
  assert.equal(textOf(result), `Put #${d}, #${b} in the backlog, before #${anchor}.`);
  const now = await order('milestone=null', 'backlog_order');
  assert.deepEqual(now.slice(0, 4), [backlog[0], d, b, anchor]);
  assert.ok(now.indexOf(a) < now.indexOf(c), 'the others keep their order');
  // The anchor alone says where: no sprint argument needed.
  dataOf(await h.call('reorder_user_stories', { project_id: 1, user_story_ids: [`#${a}`], after: `#${d}` }));
  assert.deepEqual((await order('milestone=null', 'backlog_order')).slice(0, 4), [backlog[0], d, a, b]);
  // A story's own update with the version read before the move still goes through: Taiga's version did not change.
  const story = (await asTeammate(h.emulator, 'GET', `/userstories/by_ref?project=1&ref=${d}`)).body as Raw;
  dataOf(await h.call('update_user_story', { user_story_id: story['id'], subject: 'after the reorder', version: story['version'] }));
});

test('sprint: stories move into the sprint at the place given, with sprint_order, and their tasks follow', async () => {
  const inSprint = await order('milestone=1', 'sprint_order');
  const backlog = await order('milestone=null', 'backlog_order');
  const moved = backlog.slice(0, 2);
  const r = dataOf<Raw>(await h.call('reorder_user_stories', { project_id: 1, user_story_ids: moved.map((ref) => `#${ref}`), sprint: 'Sprint 2026-9-27', after: `#${inSprint[0]}` }));
  assert.deepEqual(r, { moved, sprint: 'Sprint 2026-9-27', after: inSprint[0] });
  assert.deepEqual(await order('milestone=1', 'sprint_order'), [inSprint[0], ...moved, ...inSprint.slice(1)]);
});

test('kanban: a story goes to the top of a status column (its swimlane kept), then before another', async () => {
  const story = ((await asTeammate(h.emulator, 'GET', '/userstories?project=1&status=1')).body as Raw[])[0]!;
  const other = ((await asTeammate(h.emulator, 'GET', '/userstories?project=1&page_size=100')).body as Raw[]).find((s) => s['swimlane'] === story['swimlane'] && s['id'] !== story['id'])!;
  const r = dataOf<Raw>(await h.call('reorder_user_stories', { project_id: 1, user_story_ids: [`#${String(story['ref'])}`], status: 'Ready for test' }));
  assert.deepEqual(r, { moved: [story['ref']], status: 'Ready for test' });
  const after = (await asTeammate(h.emulator, 'GET', `/userstories/${String(story['id'])}`)).body as Raw;
  assert.deepEqual([after['status'], after['swimlane'], after['kanban_order']], [4, story['swimlane'], 1]);
  const kanban = async (id: unknown) => Number(((await asTeammate(h.emulator, 'GET', `/userstories/${String(id)}`)).body as Raw)['kanban_order']);
  dataOf(await h.call('reorder_user_stories', { project_id: 1, user_story_ids: [`#${String(other['ref'])}`], status: 4, after: `#${String(story['ref'])}` }));
  assert.deepEqual([await kanban(story['id']), await kanban(other['id'])], [1, 2]);
  dataOf(await h.call('reorder_user_stories', { project_id: 1, user_story_ids: [`#${String(other['ref'])}`], before: `#${String(story['ref'])}`, status: 'Ready for test' }));
  const now = { kanban_order: await kanban(other['id']) };
  const anchor = { kanban_order: await kanban(story['id']) };
  assert.equal(Number(now['kanban_order']) + 1, Number(anchor['kanban_order']));
});

test('refused before anything is written: both anchors, an anchor being moved or elsewhere, a story twice, nowhere said, sprint with status, mixed swimlanes', async () => {
  const backlog = await order('milestone=null', 'backlog_order');
  const inSprint = await order('milestone=1', 'sprint_order');
  const [x, y] = backlog as [number, number];
  const lanes = ((await asTeammate(h.emulator, 'GET', '/userstories?project=1&page_size=100')).body as Raw[]);
  const laneA = lanes.find((s) => s['swimlane'] !== null)!;
  const laneB = lanes.find((s) => s['swimlane'] !== laneA['swimlane'])!;
  const cases: [Raw, string][] = [
    [{ user_story_ids: [`#${x}`], before: `#${y}`, after: `#${y}`, sprint: null }, 'after'],
    [{ user_story_ids: [`#${x}`, `#${y}`], before: `#${y}`, sprint: null }, 'before'],
    [{ user_story_ids: [`#${x}`], before: `#${inSprint[0]}`, sprint: null }, 'before'],
    [{ user_story_ids: [`#${x}`, `#${x}`], sprint: null }, 'user_story_ids'],
    [{ user_story_ids: [`#${x}`] }, 'sprint'],
    [{ user_story_ids: [`#${x}`], sprint: null, status: 'New' }, 'status'],
    [{ user_story_ids: [`#${String(laneA['ref'])}`, `#${String(laneB['ref'])}`], status: 'New' }, 'before'],
    [{ user_story_ids: [`#${x}`], status: 'New', after: `#${inSprint[0]}` }, 'after'],
  ];
  for (const [args, field] of cases) {
    const writes = h.emulator.totalWrites;
    const err = errorOf(await h.call('reorder_user_stories', { project_id: 1, ...args }));
    assert.equal(err.code, 'INVALID_INPUT', JSON.stringify(args));
    assert.ok(field in ((err.details?.['fields'] as Raw | undefined) ?? {}), `${JSON.stringify(args)}: ${JSON.stringify(err.details)}`);
    assert.equal(h.emulator.totalWrites, writes, `${JSON.stringify(args)}: nothing written`);
  }
});

test('more stories than confirmations.bulkThreshold: the person is asked, and a no writes nothing', async () => {
  const backlog = await order('milestone=null', 'backlog_order');
  const refs = backlog.slice(0, 11).map((ref) => `#${ref}`);
  const writes = h.emulator.totalWrites;
  assert.equal(errorOf(await h.call('reorder_user_stories', { project_id: 1, user_story_ids: refs, sprint: null })).code, 'DECLINED');
  assert.equal(h.emulator.totalWrites, writes);
  assert.match(asked[0]!, /^Put 11 user stories \(#\d+, .*\) of project-1 in the backlog, at the top\?$/);
  dataOf(await h.call('reorder_user_stories', { project_id: 1, user_story_ids: refs.slice(0, 10), sprint: null }));
  assert.equal(asked.length, 1, '10 stories are not asked about');
  assert.match(h.stderr(), /"tool":"reorder_user_stories"[^\n]*"object":"user_stories:/);
});
