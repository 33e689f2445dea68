import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { BatchOutput, renderBatch, runBatch } from '../../../core/batch.js';
import { IdOrName, NullableIdOrName, NullableUserRef, ProjectRef } from '../../../core/schemas.js';
import { patchStory, StoryRef, toTaigaBody } from '../story-access.js';

export const bulkUpdateUserStories = defineTool({
  name: 'bulk_update_user_stories',
  title: 'Change many user stories',
  description: 'Set the status, assignee or sprint of up to 100 stories of one project; reports progress and each item\'s result.',
  input: v.strictObject({
    project_id: ProjectRef,
    user_story_ids: v.pipe(v.array(StoryRef), v.minLength(1), v.maxLength(100)),
    status: v.optional(IdOrName('Status name or id.')),
    assigned_to: v.optional(NullableUserRef),
    sprint: v.optional(NullableIdOrName('Sprint name or id; null = backlog.')),
  }),
  output: BatchOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ project_id, user_story_ids, ...change }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    // Names are resolved once, before any write: a bad name fails the call with nothing written.
    const body = await toTaigaBody(ctx, project, change);
    if (Object.keys(body).length === 0) throw new TaigaMcpError('INVALID_INPUT', { message: 'Give status, assigned_to or sprint.' });
    return runBatch(ctx, user_story_ids, async (ref) => {
      const id = await ctx.resolve.storyId(ref, project);
      const story = await ctx.taiga.get<Record<string, unknown>>(`/userstories/${id}`);
      if (story['project'] !== project) throw new TaigaMcpError('INVALID_INPUT', { message: `User story ${id} is not in project ${project}.` });
      const updated = await patchStory(ctx, story, body, story['version'] as number);
      return { id, ref: updated['ref'] as number };
    });
  },
  render: renderBatch,
});
