import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { DateString, IdOrName, ProjectRef } from '../../../core/schemas.js';
import { DESTRUCTIVE, IDEMPOTENT_WRITE, WRITE } from '../../../core/work-items/index.js';
import { checkDates, leanSprint, loadSprint, SprintOutput, sprintText, storiesLabel, storyIds } from '../sprint-access.js';
import { quoteShort } from '../../../core/confirm/question.js';

type Raw = Record<string, unknown>;
const Name = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200));

export const createSprint = defineTool({
  name: 'create_sprint',
  title: 'Create sprint',
  description: 'Create a sprint; its dates may touch but not overlap another sprint.',
  input: v.strictObject({ project_id: ProjectRef, name: Name, start: DateString, finish: DateString }),
  output: SprintOutput,
  annotations: WRITE,
  async handler({ project_id, name, start, finish }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    await checkDates(ctx, project, start, finish);
    const created = await ctx.taiga.post<Raw>('/milestones', { project, name, estimated_start: start, estimated_finish: finish });
    ctx.resolve.invalidate(project);
    return leanSprint(created);
  },
  render: (s) => `Created ${sprintText(s)}`,
});

export const updateSprint = defineTool({
  name: 'update_sprint',
  title: 'Update sprint',
  description: 'Rename a sprint or change its dates (no version: last write wins).',
  input: v.strictObject({ sprint_id: IdOrName, project_id: v.optional(ProjectRef), name: v.optional(Name), start: v.optional(DateString), finish: v.optional(DateString) }),
  output: SprintOutput,
  annotations: IDEMPOTENT_WRITE,
  async handler({ sprint_id, project_id, name, start, finish }, ctx) {
    const raw = await loadSprint(ctx, sprint_id, project_id);
    if (name === undefined && start === undefined && finish === undefined) throw new TaigaMcpError('INVALID_INPUT', { message: 'Nothing to change: give name, start or finish.' });
    const project = raw['project'] as number;
    if (start !== undefined || finish !== undefined) await checkDates(ctx, project, start ?? String(raw['estimated_start']), finish ?? String(raw['estimated_finish']), raw['id'] as number);
    const body = { ...(name !== undefined && { name }), ...(start !== undefined && { estimated_start: start }), ...(finish !== undefined && { estimated_finish: finish }) };
    const saved = await ctx.taiga.patch<Raw>(`/milestones/${String(raw['id'])}`, body);
    ctx.resolve.invalidate(project);
    return leanSprint(saved);
  },
  render: (s) => `Updated ${sprintText(s)}`,
});

export const deleteSprint = defineTool({
  name: 'delete_sprint',
  title: 'Delete sprint',
  description: 'Delete a sprint; its user stories (and their tasks) go back to the backlog.',
  input: v.strictObject({ sprint_id: IdOrName, project_id: v.optional(ProjectRef) }),
  output: v.object({ status: v.literal('deleted'), id: v.number(), name: v.string(), stories_to_backlog: v.array(v.number()) }),
  annotations: DESTRUCTIVE,
  confirmation: 'handler',
  async handler({ sprint_id, project_id }, ctx) {
    const raw = await loadSprint(ctx, sprint_id, project_id);
    const stories = (raw['user_stories'] as Raw[] | undefined) ?? [];
    const slug = (await ctx.resolve.project(raw['project'] as number)).slug;
    const after = stories.length === 0 ? 'It has no user stories.' : `Its ${storiesLabel(stories)} ${stories.length === 1 ? 'goes' : 'go'} back to the backlog.`;
    await ctx.confirm({ message: `Delete sprint ${quoteShort(String(raw['name']))} of ${slug}? ${after}`, version: [raw['id'], storyIds(stories)] });
    await ctx.taiga.delete(`/milestones/${String(raw['id'])}`);
    ctx.resolve.invalidate(raw['project'] as number);
    return { status: 'deleted' as const, id: raw['id'] as number, name: String(raw['name']), stories_to_backlog: ((raw['user_stories'] as Raw[] | undefined) ?? []).map((s) => s['ref'] as number) };
  },
  render: (r) => `Deleted sprint ${r.id}; back to the backlog: ${r.stories_to_backlog.map((ref) => `#${ref}`).join(', ') || 'no stories'}.`,
});

