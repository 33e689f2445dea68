import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { IdOrName, ProjectRef, UserRef } from '../../../core/schemas.js';
import { IDEMPOTENT_WRITE } from '../../../core/work-items/index.js';
import { leanMembership, membershipLine, MembershipOutput } from '../fields.js';

type Raw = Record<string, unknown>;

/** Taiga's memberships carry no version: the change is sent as asked, with nothing to check against. */
export const updateProjectMember = defineTool({
  name: 'update_project_member',
  title: 'Update project member',
  description: "Change a member's role (by name) and/or admin flag.",
  toolset: 'people',
  input: v.strictObject({ project_id: ProjectRef, user_id: UserRef, role: v.optional(IdOrName), admin: v.optional(v.boolean()) }),
  output: MembershipOutput,
  annotations: IDEMPOTENT_WRITE,
  async handler({ project_id, user_id, role, admin }, { taiga, resolve }) {
    if (role === undefined && admin === undefined) throw new TaigaMcpError('INVALID_INPUT', { message: 'Nothing to change: give role and/or admin.', details: { fields: { role: 'role or admin is required' } } });
    const project = await resolve.projectId(project_id);
    const userId = await resolve.user(project, user_id, 'user_id');
    const roleId = role === undefined ? undefined : await resolve.choice(project, 'role', role, 'role');
    const { items } = await taiga.all<Raw>('/memberships', { project });
    const membership = items.find((m) => m['user'] === userId);
    if (!membership) throw new TaigaMcpError('NOT_FOUND', { message: `User ${userId} is not a member of project ${project}.` });
    const saved = await taiga.patch<Raw>(`/memberships/${String(membership['id'])}`, { ...(roleId !== undefined && { role: roleId }), ...(admin !== undefined && { is_admin: admin }) });
    resolve.invalidate(project);
    const username = (await resolve.project(project)).members.find((m) => m.id === userId)?.username;
    return leanMembership(saved, new Map(username ? [[userId, username]] : [])) as v.InferOutput<typeof MembershipOutput>;
  },
  render: (m) => `Updated ${membershipLine(m)}`,
});
