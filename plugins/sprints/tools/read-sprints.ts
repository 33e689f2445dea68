import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { IdOrName, Include, Page, PageSize, pageFields, PagingOutput, ProjectRef } from '../../../core/schemas.js';
import { itemSchema, itemsTable, leanItem, pagingText, READ } from '../../../core/work-items/index.js';
import { STORY_ROWS, USER_STORY } from '../../user-stories/kind.js';
import { leanSprint, loadSprint, SprintOutput, sprintText } from '../sprint-access.js';

type Raw = Record<string, unknown>;

export const listSprints = defineTool({
  name: 'list_sprints',
  title: 'List sprints',
  description: 'Sprints of a project, newest first; state: open (default), closed or all.',
  input: v.strictObject({ project_id: ProjectRef, state: v.optional(v.picklist(['open', 'closed', 'all']), 'open'), page: Page, page_size: PageSize }),
  output: v.object({ items: v.array(SprintOutput), ...PagingOutput }),
  annotations: READ,
  async handler({ project_id, state, page, page_size }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const result = await ctx.taiga.page<Raw>('/milestones', { project, ...(state !== 'all' && { closed: state === 'closed' }) }, { page, pageSize: page_size });
    return { items: result.items.map(leanSprint), ...pageFields(result) };
  },
  render: (r) => [...r.items.map(sprintText), pagingText(r)].join('\n'),
});

const Stats = v.object({
  total_points: v.number(),
  completed_points: v.number(),
  total_stories: v.number(),
  completed_stories: v.number(),
  total_tasks: v.number(),
  completed_tasks: v.number(),
  iocaine_doses: v.number(),
  burndown: v.optional(v.array(v.object({ day: v.string(), open_points: v.number(), optimal_points: v.number() }))),
});

const sum = (value: unknown): number => (Array.isArray(value) ? value : Object.values((value as Record<string, unknown>) ?? {})).reduce<number>((a, b) => a + (typeof b === 'number' ? b : 0), 0);
const round = (n: number) => Math.round(n * 100) / 100;

export const getSprint = defineTool({
  name: 'get_sprint',
  title: 'Get sprint',
  description: 'One sprint with its user stories and stats (points, tasks).',
  input: v.strictObject({ sprint_id: IdOrName, project_id: v.optional(ProjectRef), include: Include('burndown') }),
  output: v.object({ sprint: SprintOutput, stories: v.array(itemSchema(STORY_ROWS)), stats: Stats }),
  annotations: READ,
  async handler({ sprint_id, project_id, include }, ctx) {
    const raw = await loadSprint(ctx, sprint_id, project_id);
    const [stats, meta] = await Promise.all([ctx.taiga.get<Raw>(`/milestones/${String(raw['id'])}/stats`), ctx.resolve.project(raw['project'] as number)]);
    return {
      sprint: leanSprint(raw),
      stories: ((raw['user_stories'] as Raw[] | undefined) ?? []).map((s) => leanItem(USER_STORY, s, meta, STORY_ROWS)),
      stats: {
        total_points: round(sum(stats['total_points'])),
        completed_points: round(sum(stats['completed_points'])),
        total_stories: Number(stats['total_userstories'] ?? 0),
        completed_stories: Number(stats['completed_userstories'] ?? 0),
        total_tasks: Number(stats['total_tasks'] ?? 0),
        completed_tasks: Number(stats['completed_tasks'] ?? 0),
        iocaine_doses: Number(stats['iocaine_doses'] ?? 0),
        ...(include?.includes('burndown') && {
          burndown: ((stats['days'] as Raw[] | undefined) ?? []).map((d) => ({ day: String(d['day']), open_points: round(Number(d['open_points'] ?? 0)), optimal_points: round(Number(d['optimal_points'] ?? 0)) })),
        }),
      },
    };
  },
  render: ({ sprint, stories, stats: s }) =>
    [
      sprintText(sprint),
      `stats: points ${s.completed_points}/${s.total_points}, stories ${s.completed_stories}/${s.total_stories}, tasks ${s.completed_tasks}/${s.total_tasks}, iocaine ${s.iocaine_doses}`,
      s.burndown && `burndown (day open/optimal): ${s.burndown.map((d) => `${d.day} ${d.open_points}/${d.optimal_points}`).join(', ')}`,
      itemsTable(stories, STORY_ROWS),
    ].filter(Boolean).join('\n'),
});
