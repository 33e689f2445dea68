import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { IdOrName, ProjectRef } from '../../../core/schemas.js';
import { loadItem, USER_STORY_TARGET, WRITE } from '../../../core/work-items/index.js';
import { ISSUE } from '../kind.js';

const Ref = v.object({ id: v.number(), ref: v.number() });

export const promoteIssueToUserStory = defineTool({
  name: 'promote_issue_to_user_story',
  title: 'Promote issue to user story',
  description: 'Make a user story from an issue (which stays, linked to it).',
  input: v.strictObject({ issue_id: IdOrName, project_id: v.optional(ProjectRef) }),
  output: v.object({ issue: Ref, user_story: Ref }),
  annotations: WRITE,
  async handler({ issue_id, project_id }, ctx) {
    const issue = await loadItem(ctx, ISSUE, issue_id, project_id);
    const project = issue['project'] as number;
    const [ref] = await ctx.taiga.post<number[]>(`/issues/${String(issue['id'])}/promote_to_user_story`, { project_id: project });
    const story = await loadItem(ctx, USER_STORY_TARGET, `#${String(ref)}`, project);
    return { issue: { id: issue['id'] as number, ref: issue['ref'] as number }, user_story: { id: story['id'] as number, ref: story['ref'] as number } };
  },
  render: (r) => `Promoted issue #${r.issue.ref} to user story #${r.user_story.ref} (id=${r.user_story.id}).`,
});
