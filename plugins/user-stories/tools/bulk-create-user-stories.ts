import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { BatchOutput, renderBatch, runBatch } from '../../../core/batch.js';
import { ProjectRef, Subject } from '../../../core/schemas.js';
import { StoryWriteEntries, toTaigaBody } from '../story-access.js';

export const bulkCreateUserStories = defineTool({
  name: 'bulk_create_user_stories',
  title: 'Create many user stories',
  description: 'Create up to 100 user stories in one project; reports progress and the result of each item.',
  input: v.strictObject({
    project_id: ProjectRef,
    stories: v.pipe(v.array(v.strictObject({ ...StoryWriteEntries, subject: Subject })), v.minLength(1), v.maxLength(100)),
  }),
  output: BatchOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ project_id, stories }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    return runBatch(ctx, stories, async (story) => {
      const created = await ctx.taiga.post<{ id: number; ref: number }>('/userstories', { ...(await toTaigaBody(ctx, project, story)), project });
      return { id: created.id, ref: created.ref };
    });
  },
  render: renderBatch,
});
