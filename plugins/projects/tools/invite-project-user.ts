import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { IdOrName, ProjectRef } from '../../../core/schemas.js';
import { leanMembership, membershipLine, MembershipOutput } from '../fields.js';

export const inviteProjectUser = defineTool({
  name: 'invite_project_user',
  title: 'Invite user to project',
  description: 'Add a member by username or email, with a role; an unknown email gets an invitation.',
  input: v.strictObject({
    project_id: ProjectRef,
    username: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(254)),
    role: IdOrName,
  }),
  output: MembershipOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ project_id, username, role }, { taiga, resolve }) {
    const project = await resolve.projectId(project_id);
    const roleId = await resolve.choice(project, 'role', role, 'role');
    const created = await taiga.post<Record<string, unknown>>('/memberships', { project, role: roleId, username });
    resolve.invalidate(project);
    const userId = typeof created['user'] === 'number' ? created['user'] : undefined;
    return leanMembership(created, new Map(userId !== undefined && !username.includes('@') ? [[userId, username]] : [])) as v.InferOutput<typeof MembershipOutput>;
  },
  render: (m) => `${m.is_pending ? 'Invited' : 'Added'} ${membershipLine(m)}`,
});
