// GET /projects/{id}/stats, member_stats and issues_stats (§9.1), computed from
// the project's stories, sprints, issues, tasks and wiki history the way
// taiga-back's stats service does; not paginated.
import type { Ctx } from '../context.js';
import { ok, type Reply } from '../http.js';
import type { State } from '../state.js';
import { storyIsClosed } from '../story-closing.js';
import type { Choice, Project, User } from '../types.js';

type PerRole = Record<string, number>;
const addTo = (m: PerRole, role: string, v: number) => (m[role] = (m[role] ?? 0) + v);
const total = (m: PerRole) => Object.values(m).reduce((a, b) => a + b, 0);

export function projectStats(ctx: Ctx, p: Project): Reply {
  const { state } = ctx;
  const milestones = [...state.milestones.values()].filter((m) => m.project === p.id).sort((a, b) => a.estimated_start.localeCompare(b.estimated_start));
  const closedIn = new Map<number, number>(milestones.map((m) => [m.id, 0]));
  const defined: PerRole = {};
  const closed: PerRole = {};
  const assigned: PerRole = {};
  let fromClosedMilestones = 0;
  for (const s of state.storiesOf(p.id)) {
    const isClosed = storyIsClosed(state, s);
    const milestone = s.milestone ? state.milestones.get(s.milestone) : undefined;
    for (const [role, pointsId] of Object.entries(s.points)) {
      const value = state.choice('points', pointsId)?.value;
      if (value === null || value === undefined) continue; // "?" counts nowhere
      addTo(defined, role, value);
      if (isClosed) {
        addTo(closed, role, value);
        if (milestone) closedIn.set(milestone.id, (closedIn.get(milestone.id) ?? 0) + value);
      }
      if (milestone?.closed) fromClosedMilestones += value;
      if (milestone) addTo(assigned, role, value);
    }
  }
  const closedCount = milestones.filter((m) => m.closed).length;
  return ok({
    name: p.name, total_milestones: p.total_milestones, total_points: p.total_story_points, closed_points: total(closed),
    closed_points_per_role: closed, defined_points: total(defined), defined_points_per_role: defined, assigned_points: total(assigned),
    assigned_points_per_role: assigned, milestones: burnup(p, milestones.map((m) => [m.name, closedIn.get(m.id) ?? 0])),
    speed: closedCount ? fromClosedMilestones / closedCount : 0,
  });
}

/** One entry per sprint (or planned sprint), then "Project End"; team/client increments are 0 without requirements. */
function burnup(p: Project, sprints: [name: string, closedPoints: number][]) {
  const points = p.total_story_points ?? 0;
  const planned = p.total_milestones ?? 0;
  const perSprint = points && planned ? points / planned : 0;
  let evolution: number | null = 0;
  let optimal = 0;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < Math.max(sprints.length, planned); i++) {
    optimal = points - perSprint * i;
    const row = { name: sprints[i]?.[0] ?? 'Future sprint', optimal, evolution: evolution === null ? null : points - evolution };
    evolution = i < sprints.length && evolution !== null ? evolution + sprints[i]![1] : null;
    out.push({ ...row, 'team-increment': 0, 'client-increment': 0 });
  }
  optimal -= perSprint;
  out.push({
    name: 'Project End', optimal, evolution: evolution !== null && points ? points - evolution : null, 'team-increment': 0, 'client-increment': 0,
  });
  return out;
}

function perUser(state: State, p: Project, pick: (add: (userId: number | null) => void) => void): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of state.membershipsOf(p.id)) if (m.user !== null) out[String(m.user)] = 0;
  pick((userId) => {
    if (userId !== null) out[String(userId)] = (out[String(userId)] ?? 0) + 1;
  });
  return out;
}

export function memberStats(ctx: Ctx, p: Project): Reply {
  const { state } = ctx;
  const issues = [...state.issues.values()].filter((i) => i.project === p.id);
  const tasks = [...state.tasks.values()].filter((t) => t.project === p.id);
  const closedIssue = (statusId: number) => state.choice('issue_status', statusId)?.is_closed ?? false;
  const closedTask = (statusId: number) => state.choice('task_status', statusId)?.is_closed ?? false;
  const pages = [...state.wikiPages.values()].filter((w) => w.project === p.id);
  return ok({
    closed_bugs: perUser(state, p, (add) => issues.filter((i) => closedIssue(i.status)).forEach((i) => add(i.assigned_to))),
    iocaine_tasks: perUser(state, p, (add) => tasks.filter((t) => t.is_iocaine).forEach((t) => add(t.assigned_to))),
    wiki_changes: perUser(state, p, (add) => pages.forEach((w) => state.history.of('wiki', w.id).forEach((e) => add(e.user)))),
    created_bugs: perUser(state, p, (add) => issues.forEach((i) => add(i.owner))),
    closed_tasks: perUser(state, p, (add) => tasks.filter((t) => closedTask(t.status)).forEach((t) => add(t.assigned_to))),
  });
}

type Counter = Record<string, { count: number } & Record<string, unknown>>;
function countChoice(into: Counter, c: Choice | undefined): void {
  if (!c) return;
  (into[String(c.id)] ??= { count: 0, name: c.name, id: c.id, color: c.color }).count += 1;
}
function countUser(into: Counter, u: User | undefined): void {
  const key = String(u?.id ?? 0);
  const blank = u ? { username: u.username, name: u.full_name, id: u.id, color: u.color } : { username: 'Unassigned', name: 'Unassigned', id: 0, color: 'black' };
  (into[key] ??= { count: 0, ...blank }).count += 1;
}

export function issuesStats(ctx: Ctx, p: Project): Reply {
  const { state } = ctx;
  const issues = [...state.issues.values()].filter((i) => i.project === p.id);
  const per = { type: {} as Counter, status: {} as Counter, priority: {} as Counter, severity: {} as Counter, owner: {} as Counter, assigned: {} as Counter };
  let closed = 0;
  for (const i of issues) {
    if (state.choice('issue_status', i.status)?.is_closed) closed += 1;
    countChoice(per.type, state.choice('issue_type', i.type));
    countChoice(per.status, state.choice('issue_status', i.status));
    countChoice(per.priority, state.choice('priority', i.priority));
    countChoice(per.severity, state.choice('severity', i.severity));
    countUser(per.owner, i.owner ? state.users.get(i.owner) : undefined);
    countUser(per.assigned, i.assigned_to ? state.users.get(i.assigned_to) : undefined);
  }
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  const days = Array.from({ length: 28 }, (_, k) => today - (27 - k) * 86_400_000);
  const within = (iso: string | null, day: number) => !!iso && Date.parse(iso) >= day && Date.parse(iso) < day + 86_400_000;
  const openOn = (day: number) => issues.filter((i) => Date.parse(i.created_date) < day + 86_400_000 && (!i.finished_date || Date.parse(i.finished_date) > day));
  const series = (counter: Counter, field: 'severity' | 'priority') => Object.fromEntries(Object.values(counter).map(({ count: _c, ...c }) =>
    [String(c['id']), { ...c, data: days.map((d) => openOn(d).filter((i) => i[field] === c['id']).length) }]));
  return ok({
    total_issues: issues.length, opened_issues: issues.length - closed, closed_issues: closed, issues_per_type: per.type,
    issues_per_status: per.status, issues_per_priority: per.priority, issues_per_severity: per.severity, issues_per_owner: per.owner,
    issues_per_assigned_to: per.assigned,
    last_four_weeks_days: {
      by_open_closed: {
        open: days.map((d) => issues.filter((i) => within(i.created_date, d)).length),
        closed: days.map((d) => issues.filter((i) => within(i.finished_date, d)).length),
      },
      by_severity: series(per.severity, 'severity'), by_priority: series(per.priority, 'priority'), by_status: {},
    },
  });
}
