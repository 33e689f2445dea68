import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { IdOrName, NullableIdOrName, ProjectRef } from '../../../core/schemas.js';
import { IDEMPOTENT_WRITE, loadItem } from '../../../core/work-items/index.js';
import { quote } from '../../../core/render/untrusted.js';
import { USER_STORY } from '../../user-stories/kind.js';
import { leanSprint, loadSprint, moveStories, SprintOutput, sprintTarget, sprintText, storiesLabel, storyIds } from '../sprint-access.js';
import { quoteShort } from '../../../core/confirm/question.js';
import type { ToolContext } from '../../../core/plugin/types.js';

/** A sprint's name by id (null: the backlog). */
const sprintName = async (ctx: ToolContext, project: number, sprint: number | null): Promise<string | null> =>
  sprint === null ? null : ((await ctx.resolve.project(project)).sprints.find((s) => s.id === sprint)?.name ?? String(sprint));

const destination = (to: string | null): string => (to === null ? 'the backlog' : `sprint ${quoteShort(to)}`);

type Raw = Record<string, unknown>;

export const moveUserStoriesToSprint = defineTool({
  name: 'move_user_stories_to_sprint',
  title: 'Move user stories to a sprint',
  description: 'Move up to 100 user stories (and their tasks) into a sprint or the backlog.',
  input: v.strictObject({ project_id: ProjectRef, user_story_ids: v.pipe(v.array(IdOrName), v.minLength(1), v.maxLength(100)), sprint: NullableIdOrName }),
  output: v.object({ moved: v.array(v.number()), to: v.nullable(v.string()) }),
  annotations: IDEMPOTENT_WRITE,
  confirmation: 'handler',
  async handler({ project_id, user_story_ids, sprint }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const target = await sprintTarget(ctx, project, sprint, 'sprint');
    // Every story is looked up (and checked to be in the project) before anything moves.
    const stories: Raw[] = [];
    for (const [i, ref] of user_story_ids.entries()) stories.push(await loadItem(ctx, USER_STORY, ref, project, `user_story_ids.${i}`));
    const to = await sprintName(ctx, project, target);
    const { slug } = await ctx.resolve.project(project);
    await ctx.confirm({ message: `Move ${storiesLabel(stories)} of ${slug} to ${destination(to)}?`, version: storyIds(stories), items: stories.length });
    await moveStories(ctx, project, stories.map((s) => s['id'] as number), target);
    return { moved: stories.map((s) => s['ref'] as number), to };
  },
  render: (r) => `Moved ${r.moved.map((ref) => `#${ref}`).join(', ')} to ${r.to === null ? 'the backlog' : quote(r.to)}.`,
});

export const closeSprint = defineTool({
  name: 'close_sprint',
  title: 'Close sprint',
  description: 'Close a sprint; move_unfinished_to (a sprint or null) takes its open stories first.',
  input: v.strictObject({ sprint_id: IdOrName, project_id: v.optional(ProjectRef), move_unfinished_to: v.optional(NullableIdOrName) }),
  output: v.object({ sprint: SprintOutput, moved: v.array(v.number()), to: v.optional(v.nullable(v.string())) }),
  annotations: IDEMPOTENT_WRITE,
  confirmation: 'handler',
  async handler({ sprint_id, project_id, move_unfinished_to }, ctx) {
    const raw = await loadSprint(ctx, sprint_id, project_id);
    const project = raw['project'] as number;
    const unfinished = ((raw['user_stories'] as Raw[] | undefined) ?? []).filter((s) => s['is_closed'] !== true);
    const target = move_unfinished_to === undefined ? undefined : await sprintTarget(ctx, project, move_unfinished_to, 'move_unfinished_to');
    const to = target === undefined ? undefined : await sprintName(ctx, project, target);
    // Closing a sprint with open stories is a decision about them: the person is asked (with none, nothing is lost).
    if (unfinished.length > 0) {
      const { slug } = await ctx.resolve.project(project);
      const fate = to === undefined ? 'they stay in the closed sprint' : `they move to ${destination(to)}`;
      await ctx.confirm({ message: `Close sprint ${quoteShort(String(raw['name']))} of ${slug}? Its ${storiesLabel(unfinished, 'unfinished ')}: ${fate}.`, version: [raw['id'], storyIds(unfinished)] });
    }
    let moved: number[] = [];
    if (target !== undefined) {
      await moveStories(ctx, project, unfinished.map((s) => s['id'] as number), target);
      moved = unfinished.map((s) => s['ref'] as number);
    }
    const saved = await ctx.taiga.patch<Raw>(`/milestones/${String(raw['id'])}`, { closed: true });
    ctx.resolve.invalidate(project);
    return { sprint: leanSprint(saved), moved, ...(to !== undefined && { to }) };
  },
  render: (r) => `Closed ${sprintText(r.sprint)}${r.to !== undefined ? `; moved ${r.moved.map((ref) => `#${ref}`).join(', ') || 'no stories'} to ${r.to === null ? 'the backlog' : quote(r.to)}` : ''}.`,
});
