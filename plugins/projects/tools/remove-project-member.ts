import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { quoteShort } from '../../../core/confirm/question.js';
import { word } from '../../../core/render/untrusted.js';
import { ProjectRef, UserRef } from '../../../core/schemas.js';

export const removeProjectMember = defineTool({
  name: 'remove_project_member',
  title: 'Remove project member',
  description: 'Remove a member (user id or username) from a project.',
  input: v.strictObject({ project_id: ProjectRef, user_id: UserRef }),
  output: v.object({ status: v.literal('removed'), membership_id: v.number(), user_id: v.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  confirmation: 'handler',
  async handler({ project_id, user_id }, ctx) {
    const { taiga, resolve } = ctx;
    const project = await resolve.projectId(project_id);
    const userId = await resolve.user(project, user_id, 'user_id');
    const { items } = await taiga.all<{ id: number; user: number | null; role_name?: string; full_name?: string | null }>('/memberships', { project });
    const membership = items.find((m) => m.user === userId);
    if (!membership) throw new TaigaMcpError('NOT_FOUND', { message: `User ${userId} is not a member of project ${project}.` });
    const meta = await resolve.project(project);
    const name = meta.members.find((m) => m.id === userId)?.username ?? String(userId);
    const role = membership.role_name ? `, role ${quoteShort(membership.role_name)}` : '';
    await ctx.confirm({ message: `Remove ${word(name)} (${quoteShort(membership.full_name ?? '')}${role}) from project ${quoteShort(meta.name)} (${meta.slug})?`, version: membership.id });
    await taiga.delete(`/memberships/${membership.id}`);
    resolve.invalidate(project);
    return { status: 'removed' as const, membership_id: membership.id, user_id: userId };
  },
  render: (r) => `Removed user ${r.user_id} (membership ${r.membership_id}).`,
});
