import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { StoryDetailOutput, storyDetail, storyLine } from '../fields.js';
import { checkVersion, loadStory, patchStory, StoryTarget } from '../story-access.js';

export const unassignUserStory = defineTool({
  name: 'unassign_user_story',
  title: 'Unassign user story',
  description: 'Remove every assignee from a user story.',
  input: v.strictObject(StoryTarget),
  output: StoryDetailOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ user_story_id, project_id, version }, ctx) {
    const story = await loadStory(ctx, user_story_id, project_id);
    const sent = checkVersion(story, version);
    return storyDetail(await patchStory(ctx, story, { assigned_to: null, assigned_users: [] }, sent), false);
  },
  render: (s) => `Unassigned ${storyLine(s)}`,
});
