import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { ProjectRef, UserRef } from '../../../core/schemas.js';

export const removeProjectMember = defineTool({
  name: 'remove_project_member',
  title: 'Remove project member',
  description: 'Remove a member (user id or username) from a project.',
  input: v.strictObject({ project_id: ProjectRef, user_id: UserRef }),
  output: v.object({ status: v.literal('removed'), membership_id: v.number(), user_id: v.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ project_id, user_id }, { taiga, resolve }) {
    const project = await resolve.projectId(project_id);
    const userId = await resolve.user(project, user_id, 'user_id');
    const { items } = await taiga.all<{ id: number; user: number | null }>('/memberships', { project });
    const membership = items.find((m) => m.user === userId);
    if (!membership) throw new TaigaMcpError('NOT_FOUND', { message: `User ${userId} is not a member of project ${project}.` });
    await taiga.delete(`/memberships/${membership.id}`);
    resolve.invalidate(project);
    return { status: 'removed' as const, membership_id: membership.id, user_id: userId };
  },
  render: (r) => `Removed user ${r.user_id} (membership ${r.membership_id}).`,
});
