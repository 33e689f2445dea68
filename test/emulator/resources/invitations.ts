// Inviting people: POST /memberships/bulk_create (200, README #16 and #22),
// resend_invitation, and GET /invitations/{token}, which anyone holding the
// e-mailed token may call (the emulator hands tokens to tests through
// Emulator.invitationToken).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, notFoundModel, ok, type Reply } from '../http.js';
import { denied, isProjectAdmin, requireNotBlocked } from '../permissions.js';
import { pushEvent } from '../timeline-events.js';
import type { Membership } from '../types.js';
import { Checker } from './item-input.js';
import { parseId } from './lookup.js';
import { membershipOut } from './memberships.js';
import { notifyMembersAdded } from '../web-notifications.js';

function bulkCreate(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const c = new Checker(ctx, body);
  const project = c.projectId();
  const rows = body['bulk_memberships'];
  if (!Array.isArray(rows)) c.fail('bulk_memberships', 'This field is required.');
  c.done();
  const items = rows as { role_id?: unknown; username?: unknown }[];
  const roles = items.map((r) => ctx.state.roles.get(Number(r.role_id)));
  if (roles.some((r) => !r || r.project !== project!.id)) {
    throw fieldErrors({ bulk_memberships: ['Invalid role ids. All roles must belong to the same project.'] });
  }
  if (!isProjectAdmin(ctx, project!)) denied(ctx);
  requireNotBlocked(project!);
  const members = items.map((r) => ctx.state.userByLogin(String(r.username ?? '')));
  if (members.some((u) => u && ctx.state.membership(project!.id, u.id))) {
    throw fieldErrors({ bulk_memberships: ['The user with this email address is already added to the project.'] });
  }
  const extra = typeof body['invitation_extra_text'] === 'string' ? body['invitation_extra_text'] : null;
  // The same e-mail twice makes two invitations (memberships/bulk-create-duplicate-email).
  const created = items.map((row, i): Membership => {
    const user = members[i];
    const id = ctx.state.nextId('membership');
    const now = new Date();
    const m: Membership = {
      id, project: project!.id, user: user?.id ?? null, role: roles[i]!.id, is_admin: false, email: user?.email ?? String(row.username ?? ''),
      created_at: now.toISOString(), invited_by: ctx.user!.id, invitation_extra_text: extra, user_order: now.getTime(),
      token: user ? null : crypto.randomUUID(),
    };
    ctx.state.memberships.set(id, m);
    if (user) pushEvent(ctx.state, project!, 'projects.membership.create', user.id, m.created_at, {}, [user.id]);
    return m;
  });
  notifyMembersAdded(ctx, project!, created.flatMap((m) => (m.user === null ? [] : [m.user])));
  return ok(created.map((m) => membershipOut(ctx, m)));
}

function resend(ctx: Ctx): Reply {
  const m = ctx.state.memberships.get(parseId(ctx));
  if (!m) throw notFoundModel('Membership');
  const project = ctx.state.projects.get(m.project)!;
  if (!isProjectAdmin(ctx, project)) denied(ctx);
  requireNotBlocked(project);
  return noContent(); // the e-mail is not sent anywhere; the token stays the same
}

function invitation(ctx: Ctx): Reply {
  const m = [...ctx.state.memberships.values()].find((x) => x.token !== null && x.token === ctx.params['token'] && x.user === null);
  if (!m) throw notFoundModel('Membership');
  return ok(membershipOut(ctx, m, false));
}

export const invitationRoutes: RouteTable = [
  ['/memberships/bulk_create', { POST: bulkCreate }],
  ['/memberships/:id/resend_invitation', { POST: resend }],
  ['/invitations/:token', { GET: invitation }],
];
