import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { ProjectRef } from '../../../core/schemas.js';
import { quote, word } from '../../../core/render/untrusted.js';
import { READ } from '../../../core/work-items/index.js';

type Raw = Record<string, unknown>;
const MyProject = v.object({ id: v.number(), slug: v.string(), name: v.string(), role: v.optional(v.string()), admin: v.optional(v.literal(true)), owner: v.optional(v.literal(true)) });
const Output = v.object({ id: v.number(), username: v.string(), full_name: v.optional(v.string()), email: v.optional(v.string()), roles: v.array(v.string()), projects: v.array(MyProject) });

export const getMe = defineTool({
  name: 'get_me',
  title: 'Who am I',
  description: "The account this session acts as: its projects and role names (project_id: that project's role).",
  toolset: 'people',
  input: v.strictObject({ project_id: v.optional(ProjectRef) }),
  output: Output,
  annotations: READ,
  async handler({ project_id }, { taiga, resolve, session }) {
    const [me, projects] = await Promise.all([taiga.get<Raw>('/users/me'), taiga.all<Raw>('/projects', { member: session.userId, order_by: 'user_order' })]);
    const roleIn = project_id === undefined ? undefined : await resolve.projectId(project_id);
    const meta = roleIn === undefined ? undefined : await resolve.project(roleIn);
    const role = meta?.members.find((m) => m.id === me['id'])?.role_name;
    return {
      id: me['id'] as number,
      username: String(me['username']),
      ...(typeof me['full_name'] === 'string' && me['full_name'] !== '' && { full_name: me['full_name'] }),
      ...(typeof me['email'] === 'string' && { email: me['email'] }),
      roles: Array.isArray(me['roles']) ? (me['roles'] as unknown[]).map(String) : [],
      projects: projects.items.map((p) => ({
        id: p['id'] as number,
        slug: String(p['slug']),
        name: String(p['name']),
        ...(p['id'] === roleIn && role !== undefined && { role }),
        ...(p['i_am_admin'] === true && { admin: true as const }),
        ...(p['i_am_owner'] === true && { owner: true as const }),
      })),
    };
  },
  render: (r) =>
    [
      `@${word(r.username)} (user ${r.id})${r.full_name ? ` ${quote(r.full_name)}` : ''}${r.roles.length ? ` roles:[${r.roles.map(quote).join(',')}]` : ''}`,
      ...r.projects.map((p) => `${p.id} ${word(p.slug)} ${quote(p.name)}${p.role ? ` role:${quote(p.role)}` : ''}${p.admin ? ' admin' : ''}${p.owner ? ' owner' : ''}`),
    ].join('\n'),
});
