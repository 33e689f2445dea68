import * as v from 'valibot';
import { TaigaMcpError } from '../../core/errors.js';
import type { ToolContext } from '../../core/plugin/types.js';
import { quote } from '../../core/render/untrusted.js';
import { pick } from '../../core/schemas.js';
import { forgetShown } from '../../core/work-items/index.js';
import { USER_STORY } from '../user-stories/kind.js';

type Raw = Record<string, unknown>;

/** Taiga's milestones have no version (taiga-api.md §9.9): every sprint write is last-writer-wins. */
export const SprintOutput = v.object({
  id: v.number(),
  name: v.string(),
  start: v.string(),
  finish: v.string(),
  closed: v.optional(v.boolean()),
  stories: v.number(),
  total_points: v.optional(v.number()),
  closed_points: v.optional(v.number()),
  project: v.number(),
});
export type Sprint = v.InferOutput<typeof SprintOutput>;

export function leanSprint(raw: Raw): Sprint {
  return pick({
    id: raw['id'], name: raw['name'], start: raw['estimated_start'], finish: raw['estimated_finish'], closed: raw['closed'],
    stories: Array.isArray(raw['user_stories']) ? raw['user_stories'].length : 0, total_points: raw['total_points'], closed_points: raw['closed_points'], project: raw['project'],
  }, ['id', 'name', 'start', 'finish', 'closed', 'stories', 'total_points', 'closed_points', 'project']) as Sprint;
}

export const sprintText = (s: Sprint): string =>
  `sprint id=${s.id} ${quote(s.name)} ${s.start}..${s.finish} ${s.closed ? 'closed' : 'open'} stories:${s.stories}${s.total_points !== undefined ? ` pts:${s.closed_points ?? 0}/${s.total_points}` : ''} project:${s.project}`;

/** A sprint by id, or by name with project_id (a name is unique in a project). */
export async function loadSprint(ctx: ToolContext, value: number | string, project: number | string | undefined, field = 'sprint_id'): Promise<Raw> {
  const byId = typeof value === 'number' || /^\d{1,12}$/.test(value.trim());
  if (!byId && project === undefined) throw new TaigaMcpError('INVALID_INPUT', { message: `${field}: a sprint name needs project_id too.`, details: { fields: { [field]: 'a name needs project_id' } } });
  const projectId = project === undefined ? undefined : await ctx.resolve.projectId(project);
  const id = byId ? Number(value) : await ctx.resolve.sprint(projectId!, value, field);
  const raw = await ctx.taiga.get<Raw>(`/milestones/${id}`);
  if (projectId !== undefined && raw['project'] !== projectId) {
    throw new TaigaMcpError('INVALID_INPUT', { message: `Sprint ${id} is in project ${String(raw['project'])}, not in project ${projectId}. Nothing was written.`, details: { fields: { project_id: 'the sprint is in another project' } } });
  }
  ctx.audit.project ??= raw['project'] as number;
  ctx.audit.object ??= `sprint:${id}`;
  return raw;
}

/** Reversed or overlapping dates are refused before Taiga sees them; sprints may touch (one ends the day the next starts). */
export async function checkDates(ctx: ToolContext, project: number, start: string, finish: string, except?: number): Promise<void> {
  if (start > finish) throw new TaigaMcpError('INVALID_INPUT', { message: `The sprint would finish (${finish}) before it starts (${start}).`, details: { fields: { finish: 'before start' } } });
  const { items } = await ctx.taiga.all<Raw>('/milestones', { project });
  const overlaps = items
    .filter((m) => m['id'] !== except && start < String(m['estimated_finish']) && String(m['estimated_start']) < finish)
    .map((m) => ({ id: m['id'], name: m['name'], start: m['estimated_start'], finish: m['estimated_finish'] }));
  if (overlaps.length > 0) {
    throw new TaigaMcpError('INVALID_INPUT', {
      message: `${start}..${finish} overlaps ${overlaps.map((o) => `${quote(String(o.name))} (${String(o.start)}..${String(o.finish)})`).join(', ')}. Nothing was written.`,
      details: { fields: { start: 'overlaps another sprint' }, overlaps },
      hint: 'Choose dates that start on or after the day the other sprint finishes.',
    });
  }
}

/**
 * Moves stories into a sprint (Taiga's bulk_update_milestone) or to the backlog (bulk_update_backlog_order
 * without a sprint). Board moves keep versions; the caller's own move must not later read as a teammate's,
 * so what this caller was shown of those stories is forgotten (see core/work-items/shown-versions.ts).
 */
export async function moveStories(ctx: ToolContext, project: number, storyIds: number[], sprint: number | null): Promise<void> {
  if (storyIds.length === 0) return;
  if (sprint === null) await ctx.taiga.post('/userstories/bulk_update_backlog_order', { project_id: project, bulk_userstories: storyIds });
  else await ctx.taiga.post('/userstories/bulk_update_milestone', { project_id: project, milestone_id: sprint, bulk_stories: storyIds.map((us_id, i) => ({ us_id, order: i + 1 })) });
  for (const id of storyIds) forgetShown(ctx, USER_STORY, id);
}

/** Where stories go, by sprint name or id, or null for the backlog. */
export const sprintTarget = (ctx: ToolContext, project: number, value: number | string | null, field: string): Promise<number | null> =>
  value === null ? Promise.resolve(null) : ctx.resolve.sprint(project, value, field);

/** "3 user stories (#4, #7, #9)": the stories a question names (the first 20 of them). */
export function storiesLabel(stories: readonly Raw[], which = ''): string {
  const refs = stories.slice(0, 20).map((s) => `#${String(s['ref'])}`);
  const more = stories.length > refs.length ? ` and ${stories.length - refs.length} more` : '';
  return `${stories.length} ${which}user ${stories.length === 1 ? 'story' : 'stories'} (${refs.join(', ')}${more})`;
}

/** The ids of stories, sorted: what a confirmed sprint write must still find. */
export const storyIds = (stories: readonly Raw[]): number[] => stories.map((s) => s['id'] as number).sort((a, b) => a - b);
