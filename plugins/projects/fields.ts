import * as v from 'valibot';
import { pick } from '../../core/schemas.js';
import { quote, word } from '../../core/render/untrusted.js';
import type { ProjectMetadata } from '../../core/resolve/project-metadata.js';

/** What a project looks like to an agent (Taiga's is 2 KB in a list, 20 KB in detail). */
export const PROJECT_FIELDS = ['id', 'slug', 'name', 'description', 'is_private', 'owner', 'members_count', 'i_am_admin', 'created_date', 'modified_date', 'tags'] as const;
/** Fields update_project may change; anything else is refused. */
export const PROJECT_UPDATE_FIELDS = ['name', 'description', 'is_private', 'tags', 'is_backlog_activated', 'is_kanban_activated', 'is_wiki_activated', 'is_issues_activated', 'is_epics_activated'] as const;
export const MEMBERSHIP_FIELDS = ['id', 'user_id', 'username', 'full_name', 'email', 'role', 'is_admin', 'is_pending'] as const;

export const ProjectOutput = v.object({
  id: v.number(),
  slug: v.string(),
  name: v.string(),
  description: v.optional(v.string()),
  is_private: v.optional(v.boolean()),
  owner: v.optional(v.string()),
  members_count: v.optional(v.number()),
  i_am_admin: v.optional(v.boolean()),
  created_date: v.optional(v.string()),
  modified_date: v.optional(v.string()),
  tags: v.optional(v.array(v.string())),
});

export const MembershipOutput = v.object({
  id: v.number(),
  user_id: v.optional(v.number()),
  username: v.optional(v.string()),
  full_name: v.optional(v.string()),
  email: v.optional(v.string()),
  role: v.string(),
  is_admin: v.optional(v.boolean()),
  is_pending: v.optional(v.boolean()),
});

type Raw = Record<string, unknown>;

export function leanProject(p: Raw, fields: readonly string[] = PROJECT_FIELDS): Record<string, unknown> {
  const owner = p['owner'] as Raw | null | undefined;
  const members = p['members'];
  return pick(
    {
      ...p,
      owner: owner && typeof owner === 'object' ? String(owner['username']) : null,
      members_count: typeof p['total_memberships'] === 'number' ? p['total_memberships'] : Array.isArray(members) ? members.length : undefined,
      tags: Array.isArray(p['tags']) ? (p['tags'] as unknown[]).map(String) : undefined,
    },
    fields,
  );
}

export function leanMembership(m: Raw, usernames: ReadonlyMap<number, string> = new Map()): Record<string, unknown> {
  const userId = typeof m['user'] === 'number' ? m['user'] : null;
  return pick(
    {
      id: m['id'],
      user_id: userId,
      username: userId === null ? null : (usernames.get(userId) ?? null),
      full_name: (m['full_name'] as string | null) ?? null,
      email: typeof m['user_email'] === 'string' ? m['user_email'] : typeof m['email'] === 'string' ? m['email'] : undefined,
      role: String(m['role_name'] ?? m['role']),
      is_admin: Boolean(m['is_admin']),
      is_pending: userId === null,
    },
    MEMBERSHIP_FIELDS,
  );
}

/** The lookups an agent needs to write to the project: valid names for every choice, and the tag colours. */
export function projectLookups(meta: ProjectMetadata, tagColors: unknown): Record<string, unknown> {
  const names = (list: Array<{ name: string }>) => list.map((c) => c.name);
  const closed = (list: Array<{ name: string; is_closed?: boolean }>) => list.filter((c) => c.is_closed).map((c) => c.name);
  const { choices: c } = meta;
  return {
    us_statuses: names(c.us_status),
    task_statuses: names(c.task_status),
    issue_statuses: names(c.issue_status),
    epic_statuses: names(c.epic_status),
    closed_statuses: { user_story: closed(c.us_status), task: closed(c.task_status), issue: closed(c.issue_status), epic: closed(c.epic_status) },
    issue_types: names(c.issue_type),
    priorities: names(c.priority),
    severities: names(c.severity),
    points: names(c.points),
    roles: names(c.role),
    sprints: meta.sprints.map((s) => ({ id: s.id, name: s.name, ...(s.closed && { closed: true }) })),
    members: meta.members.map((m) => ({ id: m.id, username: m.username, role: m.role_name })),
    tag_colors: tagColors && typeof tagColors === 'object' ? tagColors : {},
  };
}

/** One line of facts; the name and owner are user text, so quoted (see core/render/untrusted.ts). */
export const projectLine = (p: v.InferOutput<typeof ProjectOutput>): string =>
  [`id=${p.id}`, word(p.slug), quote(p.name), p.is_private ? 'private' : 'public', p.owner ? `owner:@${word(p.owner)}` : '', p.members_count !== undefined ? `members:${p.members_count}` : '', p.i_am_admin ? 'admin' : '', p.tags?.length ? `tags:[${p.tags.map(quote).join(',')}]` : '']
    .filter(Boolean)
    .join(' ');

export const membershipLine = (m: v.InferOutput<typeof MembershipOutput>): string =>
  [`membership=${m.id}`, m.username ? `@${word(m.username)}` : '', m.full_name ? quote(m.full_name) : '', m.email ? word(m.email) : '', `role:${quote(m.role)}`, m.is_admin ? 'admin' : '', m.is_pending ? 'pending' : '', m.user_id !== undefined ? `user=${m.user_id}` : '']
    .filter(Boolean)
    .join(' ');
