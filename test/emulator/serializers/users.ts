// User serializers: basic info (`*_extra_info`), public and admin (self) views.
import type { State } from '../state.js';
import type { User } from '../types.js';

export function userBasicInfo(user: User | undefined) {
  if (!user) return null;
  return {
    username: user.username, full_name_display: user.full_name, photo: null, big_photo: null,
    gravatar_id: user.gravatar_id, is_active: user.is_active, id: user.id,
  };
}

/** Role names across all of the user's projects. */
function roleNames(state: State, user: User): string[] {
  const names = new Set<string>();
  for (const m of state.memberships.values()) {
    if (m.user === user.id) {
      const role = state.roles.get(m.role);
      if (role) names.add(role.name);
    }
  }
  return [...names].sort();
}

export function userPublic(state: State, user: User) {
  return {
    id: user.id, username: user.username, full_name: user.full_name, full_name_display: user.full_name, color: user.color,
    bio: '', lang: '', theme: '', timezone: '', is_active: user.is_active, photo: null, big_photo: null,
    gravatar_id: user.gravatar_id, roles: roleNames(state, user),
  };
}

export function userAdmin(state: State, user: User) {
  const owned = [...state.projects.values()].filter((p) => p.owner === user.id);
  return {
    ...userPublic(state, user),
    total_private_projects: owned.filter((p) => p.is_private).length,
    total_public_projects: owned.filter((p) => !p.is_private).length,
    email: user.email, uuid: user.uuid, date_joined: user.date_joined, read_new_terms: false, accepted_terms: true,
    max_private_projects: null, max_public_projects: null, max_memberships_private_projects: null,
    max_memberships_public_projects: null, verified_email: true,
  };
}

export function userWatcherInfo(user: User) {
  return { id: user.id, username: user.username, full_name: user.full_name };
}
