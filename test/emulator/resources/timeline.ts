// GET /timeline/project/{id} (§9.20): the project's timeline, newest first, paginated.
import type { Ctx, RouteTable } from '../context.js';
import { notAuthenticated, notFound, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied } from '../permissions.js';
import { parseId } from './lookup.js';

function projectTimeline(ctx: Ctx): Reply {
  const project = ctx.state.projects.get(parseId(ctx));
  if (!project) throw ctx.user ? notFound('') : notAuthenticated();
  if (!can(ctx, project, 'view_project')) denied(ctx);
  return paginate(ctx, ctx.state.timeline.ofProject(project.id).map(({ data, ...rest }) => ({ data, ...rest })));
}

export const timelineRoutes: RouteTable = [['/timeline/project/:id', { GET: projectTimeline }]];
