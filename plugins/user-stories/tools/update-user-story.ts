import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { StoryDetailOutput, storyDetail, storyLine } from '../fields.js';
import { checkVersion, loadStory, patchStory, requireChange, StoryTarget, StoryWriteEntries, toTaigaBody } from '../story-access.js';

export const updateUserStory = defineTool({
  name: 'update_user_story',
  title: 'Update user story',
  description: 'Change fields of a user story; comment adds a comment. Names work for status, assignee, sprint.',
  input: v.strictObject({ ...StoryTarget, ...StoryWriteEntries, comment: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(20_000))) }),
  output: StoryDetailOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ user_story_id, project_id, version, comment, ...fields }, ctx) {
    const story = await loadStory(ctx, user_story_id, project_id);
    const sent = checkVersion(story, version);
    const body = await toTaigaBody(ctx, story['project'] as number, fields);
    if (comment !== undefined) body['comment'] = comment;
    requireChange(body);
    return storyDetail(await patchStory(ctx, story, body, sent), false);
  },
  render: (s) => `Updated ${storyLine(s)}`,
});
