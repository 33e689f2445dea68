import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { checkVersion, loadStory, StoryTarget } from '../story-access.js';

export const deleteUserStory = defineTool({
  name: 'delete_user_story',
  title: 'Delete user story',
  description: 'Delete a user story and its tasks. With version, a story changed since then is not deleted.',
  input: v.strictObject(StoryTarget),
  output: v.object({ status: v.literal('deleted'), id: v.number(), ref: v.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ user_story_id, project_id, version }, ctx) {
    // Taiga's DELETE has no version check; ours is done before it.
    const story = await loadStory(ctx, user_story_id, project_id);
    checkVersion(story, version);
    await ctx.taiga.delete(`/userstories/${story['id'] as number}`);
    return { status: 'deleted' as const, id: story['id'] as number, ref: story['ref'] as number };
  },
  render: (r) => `Deleted user story #${r.ref} (id ${r.id}).`,
});
