import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { ProjectRef, untrusted } from '../../../core/schemas.js';
import { StoryDetailOutput, storyDetail, storyLine } from '../fields.js';
import { loadStory, StoryRef } from '../story-access.js';

export const getUserStory = defineTool({
  name: 'get_user_story',
  title: 'Get user story',
  description: 'One user story with its description. full=true adds the raw Taiga record.',
  input: v.strictObject({ user_story_id: StoryRef, project_id: v.optional(ProjectRef), full: v.optional(v.boolean(), false) }),
  output: StoryDetailOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ user_story_id, project_id, full }, ctx) {
    return storyDetail(await loadStory(ctx, user_story_id, project_id), full);
  },
  render: (s) => [storyLine(s), s.description ? untrusted(s.description) : ''].filter(Boolean).join('\n'),
});
