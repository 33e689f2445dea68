// Permission rules of §6: effective permission codes per user and project,
// and the 401/403/404/451 decisions built on them.
import type { Ctx } from './context.js';
import { blocked, notAuthenticated, notFound, permissionDenied } from './http.js';
import { ADMIN_PERMISSIONS, MEMBER_PERMISSIONS, VIEW_PERMISSIONS } from './template.js';
import type { Project, User } from './types.js';
import type { State } from './state.js';

export function userPermissions(state: State, project: Project, user: User | null): Set<string> {
  const perms = new Set<string>(project.anon_permissions);
  if (!project.is_private) VIEW_PERMISSIONS.forEach((p) => perms.add(p));
  if (!user) return perms;
  project.public_permissions.forEach((p) => perms.add(p));
  if (user.is_superuser) {
    [...MEMBER_PERMISSIONS, ...ADMIN_PERMISSIONS].forEach((p) => perms.add(p));
    return perms;
  }
  const membership = state.membership(project.id, user.id);
  if (membership) {
    state.roles.get(membership.role)?.permissions.forEach((p) => perms.add(p));
    if (membership.is_admin) [...MEMBER_PERMISSIONS, ...ADMIN_PERMISSIONS].forEach((p) => perms.add(p));
  }
  return perms;
}

export function can(ctx: Ctx, project: Project, perm: string): boolean {
  return userPermissions(ctx.state, project, ctx.user).has(perm);
}

export function isProjectAdmin(ctx: Ctx, project: Project): boolean {
  if (!ctx.user) return false;
  return ctx.user.is_superuser || !!ctx.state.membership(project.id, ctx.user.id)?.is_admin;
}

/** Fails with 401 for anonymous callers and 403 otherwise. */
export function denied(ctx: Ctx): never {
  throw ctx.user ? permissionDenied() : notAuthenticated();
}

export function requirePerm(ctx: Ctx, project: Project, perm: string): void {
  if (!can(ctx, project, perm)) denied(ctx);
}

export function requireAuth(ctx: Ctx): User {
  if (!ctx.user) throw notAuthenticated();
  return ctx.user;
}

/** Writes to a blocked project give 451 (checked after permissions, as BlockedByProjectMixin does). */
export function requireNotBlocked(project: Project): void {
  if (project.blocked_code) throw blocked();
}

/**
 * Update/delete lookups go through the permission-filtered queryset: a missing
 * or invisible object is 404 only for a superuser, 401 anonymous, 403 otherwise.
 */
export function missingForWrite(ctx: Ctx): never {
  if (ctx.user?.is_superuser) throw notFound('');
  denied(ctx);
}
