import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { ProjectRef } from '../../../core/schemas.js';
import { quote, word } from '../../../core/render/untrusted.js';
import { READ } from '../../../core/work-items/index.js';
import type { ChoiceKind } from '../../../core/resolve/project-metadata.js';

type Raw = Record<string, unknown>;
const Counts = v.record(v.string(), v.number());
const OpenClosed = v.object({ open: v.number(), closed: v.number() });
const round = (n: unknown): number => Math.round(Number(n ?? 0) * 100) / 100;

/** Name → count; taiga-back lists only what some issue has, so there is no zero to leave out. */
function counted(per: Raw | undefined, name: (row: Raw) => string): Record<string, number> {
  return Object.fromEntries((Object.values(per ?? {}) as Raw[]).map((row) => [name(row), Number(row['count'])]));
}

/** Open and closed from a filters_data `statuses` facet, by the project's closed statuses. */
function openClosed(facet: Raw, closedIds: Set<number>): { open: number; closed: number } {
  let open = 0;
  let closed = 0;
  for (const s of (facet['statuses'] as Raw[] | undefined) ?? []) {
    if (closedIds.has(s['id'] as number)) closed += Number(s['count'] ?? 0);
    else open += Number(s['count'] ?? 0);
  }
  return { open, closed };
}

export const getProjectStats = defineTool({
  name: 'get_project_stats',
  title: 'Project stats',
  description: 'Points (total, defined, closed, per role), velocity per sprint, open/closed counts, issues by status, priority, severity, type, assignee.',
  input: v.strictObject({ project_id: ProjectRef, sprints: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 6) }),
  output: v.object({
    project: v.string(),
    points: v.object({ total: v.number(), defined: v.number(), closed: v.number(), assigned: v.number(), per_role: v.record(v.string(), v.object({ defined: v.number(), closed: v.number() })) }),
    velocity: v.object({ average: v.number(), sprints_total: v.number(), sprints: v.array(v.object({ name: v.string(), closed_points: v.number(), total_points: v.number(), closed: v.optional(v.boolean()) })) }),
    counts: v.object({ user_stories: OpenClosed, tasks: OpenClosed, issues: OpenClosed, epics: OpenClosed }),
    issues: v.object({ by_status: Counts, by_priority: Counts, by_severity: Counts, by_type: Counts, by_assignee: Counts }),
  }),
  annotations: READ,
  async handler({ project_id, sprints }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const [meta, stats, issues, stories, tasks, epics, milestones] = await Promise.all([
      ctx.resolve.project(project),
      ctx.taiga.get<Raw>(`/projects/${project}/stats`),
      ctx.taiga.get<Raw>(`/projects/${project}/issues_stats`),
      ctx.taiga.get<Raw>('/userstories/filters_data', { project }),
      ctx.taiga.get<Raw>('/tasks/filters_data', { project }),
      ctx.taiga.get<Raw>('/epics/filters_data', { project }),
      ctx.taiga.all<Raw>('/milestones', { project }),
    ]);
    const closedOf = (kind: ChoiceKind) => new Set(meta.choices[kind].filter((c) => c.is_closed).map((c) => c.id));
    const roleName = (id: string) => meta.choices.role.find((r) => String(r.id) === id)?.name ?? id;
    const definedPerRole = (stats['defined_points_per_role'] as Raw | undefined) ?? {};
    const closedPerRole = (stats['closed_points_per_role'] as Raw | undefined) ?? {};
    const per_role: Record<string, { defined: number; closed: number }> = {};
    for (const id of new Set([...Object.keys(definedPerRole), ...Object.keys(closedPerRole)])) {
      per_role[roleName(id)] = { defined: round(definedPerRole[id]), closed: round(closedPerRole[id]) };
    }
    // Oldest first, the last `sprints` of them: the team's recent pace.
    const ordered = [...milestones.items].sort((a, b) => String(a['estimated_start']).localeCompare(String(b['estimated_start'])));
    return {
      project: meta.slug,
      points: { total: round(stats['total_points']), defined: round(stats['defined_points']), closed: round(stats['closed_points']), assigned: round(stats['assigned_points']), per_role },
      velocity: {
        average: round(stats['speed']), sprints_total: ordered.length,
        sprints: ordered.slice(-sprints).map((m) => ({ name: String(m['name']), closed_points: round(m['closed_points']), total_points: round(m['total_points']), ...(m['closed'] === true && { closed: true }) })),
      },
      counts: {
        user_stories: openClosed(stories, closedOf('us_status')), tasks: openClosed(tasks, closedOf('task_status')),
        issues: { open: Number(issues['opened_issues'] ?? 0), closed: Number(issues['closed_issues'] ?? 0) }, epics: openClosed(epics, closedOf('epic_status')),
      },
      issues: {
        by_status: counted(issues['issues_per_status'] as Raw, (r) => String(r['name'])),
        by_priority: counted(issues['issues_per_priority'] as Raw, (r) => String(r['name'])),
        by_severity: counted(issues['issues_per_severity'] as Raw, (r) => String(r['name'])),
        by_type: counted(issues['issues_per_type'] as Raw, (r) => String(r['name'])),
        // Taiga counts unassigned issues under id 0; "(none)" cannot be a username.
        by_assignee: counted(issues['issues_per_assigned_to'] as Raw, (r) => (r['id'] === 0 ? '(none)' : String(r['username']))),
      },
    };
  },
  render: (r) => {
    const map = (m: Record<string, number>) => Object.entries(m).map(([k, n]) => `${word(k)} ${n}`).join(', ') || '-';
    const oc = (c: { open: number; closed: number }) => `${c.open} open/${c.closed} closed`;
    const roles = Object.entries(r.points.per_role).map(([k, p]) => `${word(k)} ${p.closed}/${p.defined}`).join(', ');
    return [
      `${word(r.project)} points: total ${r.points.total}, defined ${r.points.defined}, closed ${r.points.closed}, assigned ${r.points.assigned}${roles ? `; closed/defined per role: ${roles}` : ''}`,
      `velocity: average ${r.velocity.average}; last ${r.velocity.sprints.length} of ${r.velocity.sprints_total} sprints (closed/total points): ${r.velocity.sprints.map((s) => `${quote(s.name)} ${s.closed_points}/${s.total_points}${s.closed ? ' closed' : ''}`).join(', ') || '-'}`,
      `user stories ${oc(r.counts.user_stories)}; tasks ${oc(r.counts.tasks)}; issues ${oc(r.counts.issues)}; epics ${oc(r.counts.epics)}`,
      `issues by status: ${map(r.issues.by_status)}; priority: ${map(r.issues.by_priority)}; severity: ${map(r.issues.by_severity)}; type: ${map(r.issues.by_type)}; assignee: ${map(r.issues.by_assignee)}`,
    ].join('\n');
  },
});
