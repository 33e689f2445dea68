import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { StoryDetailOutput, storyDetail, storyLine } from '../fields.js';
import { patchStory, prepareWrite, requireChange, StoryTarget, StoryWriteEntries, toTaigaBody } from '../story-access.js';

export const updateUserStory = defineTool({
  name: 'update_user_story',
  title: 'Update user story',
  description: 'Change fields of a user story; comment adds a comment. Names work for status, assignee, sprint.',
  input: v.strictObject({ ...StoryTarget, ...StoryWriteEntries, comment: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(20_000))) }),
  output: StoryDetailOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ user_story_id, project_id, version, comment, ...fields }, ctx) {
    const { story, body, version: sent } = await prepareWrite(ctx, { user_story_id, project_id, version }, async (project) => {
      const built = await toTaigaBody(ctx, project, fields);
      if (comment !== undefined) built['comment'] = comment;
      requireChange(built);
      return built;
    });
    return storyDetail(await patchStory(ctx, story, body, sent), false);
  },
  render: (s) => `Updated ${storyLine(s)}`,
});
