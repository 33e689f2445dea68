// /notify-policies and /web-notifications (taiga/projects/notifications/api.py,
// 6.7.3): written from taiga-back's code, no recording (fixtures README).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { emptyOk, fieldErrors, notFound, notFoundModel, ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { requireAuth } from '../permissions.js';
import { notificationStore, policyOf, type NotifyPolicy } from '../web-notifications.js';
import { parseId } from './lookup.js';

const policyOut = (ctx: Ctx, p: NotifyPolicy) => ({
  id: p.id, project: p.project, project_name: ctx.state.projects.get(p.project)!.name,
  notify_level: p.notify_level, live_notify_level: p.live_notify_level, web_notify_level: p.web_notify_level,
});

/**
 * get_queryset: builds the missing policies of the caller's projects (at "all"), then lists the
 * caller's, oldest first. A member always has one already (made at "involved" with the membership).
 */
function callerPolicies(ctx: Ctx): NotifyPolicy[] {
  const user = requireAuth(ctx);
  const projects = [...ctx.state.projects.values()].filter((p) => p.owner === user.id || ctx.state.membership(p.id, user.id));
  for (const p of projects) policyOf(ctx.state, p.id, user.id);
  return notificationStore(ctx.state).policies.filter((p) => p.user === user.id && projects.some((x) => x.id === p.project)).sort((a, b) => a.id - b.id);
}

const LEVELS = [1, 2, 3];
/** The DRF 2 BooleanField of taiga-back: known strings, else Python truthiness. */
const asBoolean = (v: unknown): boolean => (typeof v === 'string' ? ['true', 't', 'True', '1'].includes(v) || (!['false', 'f', 'False', '0', ''].includes(v)) : Boolean(v));

function updatePolicy(ctx: Ctx): Reply {
  const id = parseId(ctx);
  const policy = callerPolicies(ctx).find((p) => p.id === id);
  if (!policy) throw notFound('');
  const body = bodyObject(ctx);
  const errors: Record<string, string[]> = {};
  for (const field of ['notify_level', 'live_notify_level'] as const) {
    if (body[field] === undefined) continue;
    const level = Number(body[field]);
    if (!LEVELS.includes(level)) errors[field] = [`Select a valid choice. ${String(body[field])} is not one of the available choices.`];
  }
  if (Object.keys(errors).length) throw fieldErrors(errors);
  for (const field of ['notify_level', 'live_notify_level'] as const) if (body[field] !== undefined) policy[field] = Number(body[field]);
  if (body['web_notify_level'] !== undefined) policy.web_notify_level = asBoolean(body['web_notify_level']);
  return ok(policyOut(ctx, policy));
}

function getPolicy(ctx: Ctx): Reply {
  const policy = callerPolicies(ctx).find((p) => p.id === parseId(ctx));
  if (!policy) throw notFoundModel('NotifyPolicy');
  return ok(policyOut(ctx, policy));
}

/**
 * WebNotificationsViewSet.list: anonymous gets `{}`; `only_unread` is read as any non-empty value;
 * unread first, then newest. Paginated, the page comes wrapped as `{objects, total}`.
 */
function listNotifications(ctx: Ctx): Reply {
  if (!ctx.user) return ok({});
  const userId = ctx.user.id;
  let items = notificationStore(ctx.state).notifications.filter((n) => n.user === userId);
  if (ctx.query['only_unread']) items = items.filter((n) => n.read === null);
  items = [...items].sort((a, b) => Number(a.read !== null) - Number(b.read !== null) || (b.read ?? '').localeCompare(a.read ?? '') || b.created.localeCompare(a.created) || b.id - a.id);
  const page = paginate(ctx, items);
  if (ctx.headers['x-disable-pagination'] !== undefined) return page;
  return { ...page, body: { objects: page.body, total: items.length } };
}

/** `post`: every notification of the caller read; 200 with no body. */
function markAllRead(ctx: Ctx): Reply {
  const user = requireAuth(ctx);
  const now = new Date().toISOString();
  for (const n of notificationStore(ctx.state).notifications) if (n.user === user.id) n.read = now;
  return emptyOk();
}

/** `patch`: taiga-back's check_permissions returns rather than raises, so any existing id is marked, whoever it belongs to. */
function markOneRead(ctx: Ctx): Reply {
  const id = /^\d+$/.test(ctx.params['id'] ?? '') ? Number(ctx.params['id']) : NaN;
  const found = notificationStore(ctx.state).notifications.find((n) => n.id === id);
  if (!found) throw ctx.user ? notFoundModel('WebNotification') : requireAuth(ctx);
  found.read = new Date().toISOString();
  return ok({});
}

export const notificationRoutes: RouteTable = [
  ['/notify-policies', { GET: (ctx) => paginate(ctx, callerPolicies(ctx).map((p) => policyOut(ctx, p))) }],
  ['/notify-policies/:id', { GET: getPolicy, PUT: updatePolicy, PATCH: updatePolicy }],
  ['/web-notifications', { GET: listNotifications, POST: markAllRead }],
  ['/web-notifications/set-as-read', { GET: listNotifications, POST: markAllRead }],
  ['/web-notifications/:id/set-as-read', { GET: listNotifications, POST: markAllRead, PATCH: markOneRead }],
];
