import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { ProjectRef, Subject } from '../../../core/schemas.js';
import { StoryDetailOutput, storyDetail, storyLine } from '../fields.js';
import { StoryWriteEntries, toTaigaBody } from '../story-access.js';

export const createUserStory = defineTool({
  name: 'create_user_story',
  title: 'Create user story',
  description: 'Create a user story. Status, assignee and sprint may be names.',
  input: v.strictObject({ project_id: ProjectRef, ...StoryWriteEntries, subject: Subject }),
  output: StoryDetailOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ project_id, ...fields }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const body = await toTaigaBody(ctx, project, fields);
    return storyDetail(await ctx.taiga.post<Record<string, unknown>>('/userstories', { ...body, project }), false);
  },
  render: (s) => `Created ${storyLine(s)}`,
});
