// /auth, /auth/refresh, /auth/verify and /users.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { NOT_EMULATED_WRITES, badRequest, fieldErrors, notFoundModel, notSupported, ok, rawError, WWW_AUTHENTICATE, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { requireAuth } from '../permissions.js';
import { userAdmin, userPublic } from '../serializers/users.js';
import { parseId } from './lookup.js';

function login(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  if (String(body['type'] ?? '').toLowerCase() !== 'normal') throw badRequest('invalid login type');
  const errors: Record<string, string[]> = {};
  for (const field of ['username', 'password']) {
    if (typeof body[field] !== 'string' || body[field] === '') errors[field] = ['This field is required.'];
  }
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const user = ctx.state.userByLogin(String(body['username']));
  if (!user || user.password !== body['password'] || !user.is_active || user.is_system) {
    throw rawError(401, { detail: 'No active account found with the given credentials', code: 'invalid_credentials' }, WWW_AUTHENTICATE);
  }
  return ok({ ...userAdmin(ctx.state, user), ...ctx.tokens.issuePair(user.id) });
}

function refresh(ctx: Ctx): Reply {
  const token = bodyObject(ctx)['refresh'];
  if (typeof token !== 'string' || token === '') throw fieldErrors({ refresh: ['This field is required.'] });
  return ok(ctx.tokens.refresh(token));
}

/** GET /users?project=: superusers and anonymous callers get every active user (README #20). */
function listUsers(ctx: Ctx): Reply {
  const { state, user } = ctx;
  let users = [...state.users.values()].filter((u) => u.is_active && !u.is_system);
  const projectId = ctx.query['project'];
  if (user && !user.is_superuser) {
    const visible = (pid: number) => state.membership(pid, user.id) !== undefined;
    const projects = projectId !== undefined ? [Number(projectId)].filter(visible) : [...state.projects.keys()].filter(visible);
    const ids = new Set(projects.flatMap((pid) => state.membershipsOf(pid).map((m) => m.user)));
    users = users.filter((u) => ids.has(u.id));
  }
  users.sort((a, b) => a.username.localeCompare(b.username));
  return paginate(ctx, users.map((u) => userPublic(state, u)));
}

function getUser(ctx: Ctx): Reply {
  const id = parseId(ctx);
  const user = ctx.state.users.get(id);
  if (!user) throw notFoundModel('User');
  const self = ctx.user && (ctx.user.id === id || ctx.user.is_superuser);
  return ok(self ? userAdmin(ctx.state, user) : userPublic(ctx.state, user));
}

function byUsername(ctx: Ctx): Reply {
  const user = [...ctx.state.users.values()].find((u) => u.username === ctx.query['username']);
  if (!user) throw notFoundModel('User');
  return ok(ctx.user?.id === user.id ? userAdmin(ctx.state, user) : userPublic(ctx.state, user));
}

export const authRoutes: RouteTable = [
  ['/auth', { POST: login }],
  ['/auth/refresh', { POST: refresh }],
  ['/auth/verify', { POST: () => ({ status: 403 }) }],
  ['/users', { GET: listUsers, POST: () => { throw notSupported(); } }],
  ['/users/me', { GET: (ctx) => ok(userAdmin(ctx.state, requireAuth(ctx))) }],
  ['/users/by_username', { GET: byUsername }],
  ['/users/:id', { GET: getUser, ...NOT_EMULATED_WRITES }],
];
