import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { IdOrName, ProjectRef, Text } from '../../../core/schemas.js';
import { WRITE } from '../../../core/work-items/index.js';
import { leanMembership, membershipLine, MembershipOutput } from '../fields.js';

type Raw = Record<string, unknown>;
const Login = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(254));

export const inviteProjectUsers = defineTool({
  name: 'invite_project_users',
  title: 'Invite users to project',
  description: 'Invite up to 50 usernames or emails with one role, in one request.',
  toolset: 'people',
  input: v.strictObject({ project_id: ProjectRef, users: v.pipe(v.array(Login), v.minLength(1), v.maxLength(50)), role: IdOrName, message: v.optional(Text(1000)) }),
  output: v.object({ items: v.array(MembershipOutput) }),
  annotations: WRITE,
  async handler({ project_id, users, role, message }, { taiga, resolve }) {
    // Taiga makes two invitations of the same address sent twice (fixtures: bulk-create-duplicate-email).
    const twice = users.filter((u, i) => users.findIndex((x) => x.toLowerCase() === u.toLowerCase()) !== i);
    if (twice.length > 0) throw new TaigaMcpError('INVALID_INPUT', { message: `users: ${JSON.stringify(twice[0]!.slice(0, 80))} is listed twice.`, details: { fields: { users: 'listed twice' } } });
    const project = await resolve.projectId(project_id);
    const roleId = await resolve.choice(project, 'role', role, 'role');
    const created = await taiga.post<Raw[]>('/memberships/bulk_create', {
      project_id: project,
      bulk_memberships: users.map((username) => ({ role_id: roleId, username })),
      ...(message !== undefined && { invitation_extra_text: message }),
    });
    resolve.invalidate(project);
    // Rows come back in the order sent; a username (not an address) names the user it added.
    return { items: created.map((m, i) => leanMembership(m, new Map(typeof m['user'] === 'number' && !users[i]!.includes('@') ? [[m['user'], users[i]!]] : []))) as v.InferOutput<typeof MembershipOutput>[] };
  },
  render: (r) => r.items.map((m) => `${m.is_pending ? 'Invited' : 'Added'} ${membershipLine(m)}`).join('\n'),
});
