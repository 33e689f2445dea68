import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { UserRef } from '../../../core/schemas.js';
import { StoryDetailOutput, storyDetail, storyLine } from '../fields.js';
import { patchStory, prepareWrite, StoryTarget, toTaigaBody } from '../story-access.js';

export const assignUserStory = defineTool({
  name: 'assign_user_story',
  title: 'Assign user story',
  description: 'Assign a user story to a project member (id, username or "me").',
  input: v.strictObject({ ...StoryTarget, user_id: UserRef }),
  output: StoryDetailOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ user_story_id, project_id, version, user_id }, ctx) {
    const { story, body, version: sent } = await prepareWrite(ctx, { user_story_id, project_id, version }, (project) => toTaigaBody(ctx, project, { assigned_to: user_id }));
    return storyDetail(await patchStory(ctx, story, body, sent), false);
  },
  render: (s) => `Assigned ${storyLine(s)}`,
});
