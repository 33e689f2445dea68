// GET /timeline/project/{id} and /timeline/user/{id} (§9.20): newest first,
// paginated, filtered for the caller as taiga-back's filter_timeline_for_user
// does (a superuser sees everything; others what the project's permissions let
// them see of each kind of object). The user timeline is written from
// taiga-back's timeline/api.py and service.py (no recording).
import type { Ctx, RouteTable } from '../context.js';
import { notAuthenticated, notFound, notFoundModel, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, userPermissions } from '../permissions.js';
import { CONTENT_TYPE_IDS, type TimelineEntry } from '../timeline.js';
import { parseId } from './lookup.js';

const out = (entries: TimelineEntry[]) => entries.map(({ data, ...rest }) => ({ data, ...rest }));

/** The permission that shows an entry about each kind of object; memberships need only the project. */
const VIEW_PERMISSION: Record<number, string> = Object.fromEntries(Object.entries({
  'projects.project': 'view_project', 'projects.membership': 'view_project', 'milestones.milestone': 'view_milestones', 'epics.epic': 'view_epics',
  'userstories.userstory': 'view_us', 'tasks.task': 'view_tasks', 'issues.issue': 'view_issues', 'wiki.wikipage': 'view_wiki_pages',
}).map(([model, perm]) => [CONTENT_TYPE_IDS[model]!, perm]));

function visible(ctx: Ctx, e: TimelineEntry): boolean {
  if (ctx.user?.is_superuser) return true;
  const project = ctx.state.projects.get(e.project);
  if (!project) return true;
  const perm = VIEW_PERMISSION[e.data_content_type];
  return perm !== undefined && userPermissions(ctx.state, project, ctx.user).has(perm);
}

function projectTimeline(ctx: Ctx): Reply {
  const project = ctx.state.projects.get(parseId(ctx));
  if (!project) throw ctx.user ? notFound('') : notAuthenticated();
  if (!can(ctx, project, 'view_project')) denied(ctx);
  return paginate(ctx, out(ctx.state.timeline.ofProject(project.id).filter((e) => visible(ctx, e))));
}

/** UserTimelinePermission lets anyone read; an unknown user is get_object_or_404's 404. */
function userTimeline(ctx: Ctx): Reply {
  const user = ctx.state.users.get(parseId(ctx));
  if (!user) throw notFoundModel('User');
  return paginate(ctx, out(ctx.state.timeline.ofUser(user.id).filter((e) => visible(ctx, e))));
}

export const timelineRoutes: RouteTable = [
  ['/timeline/project/:id', { GET: projectTimeline }],
  ['/timeline/user/:id', { GET: userTimeline }],
];
