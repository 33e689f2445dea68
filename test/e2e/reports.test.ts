import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';

let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'default,reports,sprints', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

type Event = { at: string; user?: string; action: string; kind: string; ref?: number; subject?: string; fields?: string[]; comment?: string; project?: string };
type Timeline = { events: Event[]; page: number; page_size: number; total: number | null; has_next: boolean; more_before?: string };
type Raw = Record<string, unknown>;
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

test('get_timeline: a project\'s changes since a moment, who did what to which #ref, equal to Taiga\'s own timeline', async () => {
  const since = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 5));
  dataOf(await h.call('update_user_story', { user_story_id: '#5', project_id: 'project-1', subject: 'Renamed for the timeline' }));
  const issue = dataOf<{ ref: number }>(await h.call('create_issue', { project_id: 'project-1', subject: 'A new bug' }));
  await asTeammate(h.emulator, 'POST', '/tasks', { project: 1, subject: 'Task by a teammate' }, 'user2');
  const result = await h.call('get_timeline', { project_id: 'project-1', since });
  const t = dataOf<Timeline>(result);
  const taiga = ((await asTeammate(h.emulator, 'GET', '/timeline/project/1?page_size=100')).body as Raw[]).filter((e) => String(e['created']) >= since);
  assert.equal(t.total, taiga.length);
  assert.equal(t.has_next, false);
  assert.deepEqual(t.events.map((e) => `${e.user} ${e.action} ${e.kind}`), ['user2 create task', 'admin create issue', 'admin change user_story']);
  const story = t.events[2]!;
  assert.equal(story.subject, 'Renamed for the timeline');
  assert.ok(story.fields?.includes('subject'));
  assert.equal(t.events[1]!.ref, issue.ref);
  assert.equal(t.events.some((e) => e.project !== undefined), false, 'a project\'s timeline does not repeat the project');
  assert.match(textOf(result), /admin change user_story #\d+ "Renamed for the timeline" \(subject\)/);
  assert.match(textOf(result), /\(page 1: 3 of 3; last page\)/);
  // One member's changes in that project.
  const mine = dataOf<Timeline>(await h.call('get_timeline', { project_id: 'project-1', user: 'user2', since }));
  assert.deepEqual(mine.events.map((e) => e.user), ['user2']);
});

test('get_timeline pages the whole timeline: every event since the date, over several Taiga pages, none twice', async () => {
  const taigaCount = Number((await fetch(`${h.emulator.apiUrl}/timeline/project/1?page_size=1`, { headers: await auth() })).headers.get('x-pagination-count'));
  assert.ok(taigaCount > 100, 'the seed has more than one Taiga page of events');
  const first = dataOf<Timeline>(await h.call('get_timeline', { project_id: 1, since: '2000-01-01', page_size: 100 }));
  assert.equal(first.total, taigaCount);
  assert.equal(first.has_next, true);
  const seen: Event[] = [...first.events];
  for (let page = 2; ; page++) {
    const next = dataOf<Timeline>(await h.call('get_timeline', { project_id: 1, since: '2000-01-01', page_size: 100, page }));
    seen.push(...next.events);
    if (!next.has_next) break;
  }
  assert.equal(seen.length, taigaCount);
  const sorted = [...seen].sort((a, b) => b.at.localeCompare(a.at));
  assert.deepEqual(seen.map((e) => e.at), sorted.map((e) => e.at), 'newest first');
});

async function auth(): Promise<Record<string, string>> {
  const login = await fetch(`${h.emulator.apiUrl}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'normal', username: 'admin', password: 'taigaadmin' }) });
  return { authorization: `Bearer ${((await login.json()) as { auth_token: string }).auth_token}` };
}

test('get_timeline of a user across projects: each event once, though Taiga writes it once per related person', async () => {
  const since = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 5));
  // Admin owns and watches it, user2 is assigned: Taiga's user timeline holds the change twice.
  dataOf(await h.call('update_user_story', { user_story_id: '#5', project_id: 'project-1', assigned_to: 'user2' }));
  dataOf(await h.call('create_issue', { project_id: 'project-2', subject: 'Elsewhere' }));
  const raw = ((await asTeammate(h.emulator, 'GET', '/timeline/user/5?page_size=100')).body as Raw[]).filter((e) => String(e['created']) >= since);
  assert.ok(raw.length > 2, `Taiga repeats events in a user timeline (${raw.length})`);
  const t = dataOf<Timeline>(await h.call('get_timeline', { user: 'me', since }));
  assert.deepEqual(t.events.map((e) => `${e.kind} ${e.project}`), ['issue project-2', 'user_story project-1']);
  assert.equal(t.total, 2);
  const byName = dataOf<Timeline>(await h.call('get_timeline', { user: 'admin', since }));
  assert.deepEqual(byName.events, t.events);
  assert.equal(errorOf(await h.call('get_timeline', { user: 'nobody-here', since })).code, 'INVALID_INPUT');
});

test('get_timeline stops after 50 Taiga pages and says where (more_before), instead of reading without end', async () => {
  const log = h.emulator.timeline;
  const old = '2001-01-01T00:00:00.000Z';
  for (let i = 0; i < 5_050; i++) log.push(4, 'userstories.userstory.change', { user: { id: 5, username: 'admin' }, userstory: { id: 1, ref: i, subject: `s${i}` }, values_diff: {} }, new Date(Date.parse(old) + i * 1000).toISOString());
  const before = h.emulator.totalRequests;
  const t = dataOf<Timeline>(await h.call('get_timeline', { project_id: 4, since: '2000-01-01', page_size: 10, page: 600 }));
  assert.equal(h.emulator.totalRequests - before <= 52, true, 'at most 50 timeline pages (and the project lookup)');
  assert.equal(t.total, null);
  assert.match(String(t.more_before), /^2001-01-01T/);
  assert.equal(t.events.length, 0);
});

test('get_timeline refuses what it cannot answer, before asking Taiga', async () => {
  for (const args of [{ since: '2026-01-01' }, { project_id: 1, since: '2026-13-45' }, { project_id: 1, since: 'yesterday' }, { project_id: 1, since: '2026-01-01T10:00' }]) {
    const before = h.emulator.totalRequests;
    assert.equal(errorOf(await h.call('get_timeline', args)).code, 'INVALID_INPUT', JSON.stringify(args));
    assert.equal(h.emulator.totalRequests, before, JSON.stringify(args));
  }
});

type Stats = {
  project: string;
  points: { total: number; defined: number; closed: number; assigned: number; per_role: Record<string, { defined: number; closed: number }> };
  velocity: { average: number; sprints_total: number; sprints: { name: string; closed_points: number; total_points: number; closed?: true }[] };
  counts: Record<'user_stories' | 'tasks' | 'issues' | 'epics', { open: number; closed: number }>;
  issues: Record<'by_status' | 'by_priority' | 'by_severity' | 'by_type' | 'by_assignee', Record<string, number>>;
};

test('get_project_stats: the numbers equal Taiga\'s own stats, in one lean object and a short text', async () => {
  const result = await h.call('get_project_stats', { project_id: 'project-1' });
  const s = dataOf<Stats>(result);
  const stats = (await asTeammate(h.emulator, 'GET', '/projects/1/stats')).body as Raw;
  const issues = (await asTeammate(h.emulator, 'GET', '/projects/1/issues_stats')).body as Raw;
  assert.deepEqual([s.points.total, s.points.defined, s.points.closed, s.points.assigned], [stats['total_points'], stats['defined_points'], stats['closed_points'], stats['assigned_points']].map(Number));
  const roles = (await asTeammate(h.emulator, 'GET', '/roles?project=1')).body as Raw[];
  for (const [id, defined] of Object.entries(stats['defined_points_per_role'] as Record<string, number>)) {
    assert.equal(s.points.per_role[String(roles.find((r) => String(r['id']) === id)!['name'])]!.defined, defined);
  }
  assert.deepEqual(s.counts.issues, { open: issues['opened_issues'], closed: issues['closed_issues'] });
  for (const row of Object.values(issues['issues_per_status'] as Record<string, { name: string; count: number }>)) assert.equal(s.issues.by_status[row.name] ?? 0, row.count);
  for (const row of Object.values(issues['issues_per_priority'] as Record<string, { name: string; count: number }>)) assert.equal(s.issues.by_priority[row.name] ?? 0, row.count);
  const assignees = Object.values(issues['issues_per_assigned_to'] as Record<string, { id: number; username: string; count: number }>);
  assert.equal(s.issues.by_assignee['(none)'], assignees.find((a) => a.id === 0)!.count);
  assert.equal(Object.values(s.issues.by_severity).reduce((a, b) => a + b, 0), issues['total_issues']);
  const stories = (await asTeammate(h.emulator, 'GET', '/userstories?project=1&page_size=100')).body as Raw[];
  const closedStatuses = new Set(((await asTeammate(h.emulator, 'GET', '/userstory-statuses?project=1')).body as Raw[]).filter((x) => x['is_closed']).map((x) => x['id']));
  assert.deepEqual(s.counts.user_stories, { open: stories.filter((x) => !closedStatuses.has(x['status'])).length, closed: stories.filter((x) => closedStatuses.has(x['status'])).length });
  const sprints = (await asTeammate(h.emulator, 'GET', '/milestones?project=1')).body as Raw[];
  assert.equal(s.velocity.sprints_total, sprints.length);
  assert.deepEqual(s.velocity.sprints.map((x) => [x.name, x.closed_points]), sprints.map((m) => [m['name'], Number(m['closed_points'] ?? 0)]));
  assert.equal(s.velocity.average, stats['speed']);
  const text = textOf(result);
  assert.match(text, /^project-1 points: total \d/);
  assert.match(text, /issues \d+ open\/\d+ closed/);
  assert.ok(text.length < 1200, `short text (${text.length})`);
});
