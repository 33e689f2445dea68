import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { quoteShort } from '../../../core/confirm/question.js';
import { ProjectRef } from '../../../core/schemas.js';

/** What goes with a project, counted for the question (each list asked for one item: Taiga sends the count). */
const CONTENTS = [
  ['/epics', 'epic', 'epics'],
  ['/userstories', 'story', 'stories'],
  ['/tasks', 'task', 'tasks'],
  ['/issues', 'issue', 'issues'],
  ['/wiki', 'wiki page', 'wiki pages'],
] as const;

async function contents(ctx: ToolContext, project: number): Promise<string> {
  // A list Taiga does not count (lazy paging) or does not show (a module switched off, no
  // permission) is said to be uncounted rather than given a wrong number or stopping the question.
  const counts = await Promise.all(CONTENTS.map(([path]) => ctx.taiga.page(path, { project }, { page: 1, pageSize: 1 }).then((p) => p.total, () => null)));
  return CONTENTS.map(([, one, many], i) => `${counts[i] ?? 'uncounted'} ${counts[i] === 1 ? one : many}`).join(', ');
}

export const deleteProject = defineTool({
  name: 'delete_project',
  title: 'Delete project',
  description: 'Delete a project and everything in it. Irreversible.',
  input: v.strictObject({ project_id: ProjectRef }),
  output: v.object({ status: v.literal('deleted'), id: v.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  confirmation: 'handler',
  async handler({ project_id }, ctx) {
    const { taiga, resolve } = ctx;
    const id = await resolve.projectId(project_id);
    const message = async () => {
      const project = await resolve.project(id);
      return `Delete project ${quoteShort(project.name)} (${project.slug}: ${await contents(ctx, id)})? This cannot be undone.`;
    };
    await ctx.confirm({ message, version: id });
    await taiga.delete(`/projects/${id}`);
    resolve.invalidate(id);
    return { status: 'deleted' as const, id };
  },
  render: (r) => `Deleted project ${r.id}.`,
});
