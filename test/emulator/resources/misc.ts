// The API root (GET /api/v1/) and /resolver.
import type { Ctx, RouteTable } from '../context.js';
import { fieldErrors, notAuthenticated, notFound, ok, type Reply } from '../http.js';
import { can } from '../permissions.js';

/** Route names of taiga-back 6.7.3's API root map, in its order. */
const API_ROOT_NAMES = [
  "locales",
  "auth",
  "users",
  "roles",
  "user-storage",
  "notify-policies",
  "web-notifications",
  "web-notifications/set-as-read",
  "web-notifications/(?P<resource_id>\\d+)/set-as-read",
  "user-project-settings",
  "sections",
  "projects",
  "projects/(?P<resource_id>\\d+)/fans",
  "projects/(?P<resource_id>\\d+)/watchers",
  "project-templates",
  "memberships",
  "invitations",
  "epic-statuses",
  "userstory-statuses",
  "points",
  "swimlanes",
  "swimlane-userstory-statuses",
  "userstory-due-dates",
  "task-statuses",
  "task-due-dates",
  "issue-statuses",
  "issue-types",
  "issue-due-dates",
  "priorities",
  "severities",
  "epic-custom-attributes",
  "userstory-custom-attributes",
  "task-custom-attributes",
  "issue-custom-attributes",
  "epics/custom-attributes-values",
  "userstories/custom-attributes-values",
  "tasks/custom-attributes-values",
  "issues/custom-attributes-values",
  "search",
  "resolver",
  "epics/attachments",
  "userstories/attachments",
  "tasks/attachments",
  "issues/attachments",
  "wiki/attachments",
  "milestones",
  "milestones/(?P<resource_id>\\d+)/watchers",
  "epics",
  "epics/(?P<epic>[^/.]+)/related_userstories",
  "epics/(?P<resource_id>\\d+)/voters",
  "epics/(?P<resource_id>\\d+)/watchers",
  "userstories",
  "userstories/(?P<resource_id>\\d+)/voters",
  "userstories/(?P<resource_id>\\d+)/watchers",
  "tasks",
  "tasks/(?P<resource_id>\\d+)/voters",
  "tasks/(?P<resource_id>\\d+)/watchers",
  "issues",
  "issues/(?P<resource_id>\\d+)/voters",
  "issues/(?P<resource_id>\\d+)/watchers",
  "wiki",
  "wiki/(?P<resource_id>\\d+)/watchers",
  "wiki-links",
  "delete-owned-projects",
  "history/epic",
  "history/userstory",
  "history/task",
  "history/issue",
  "history/wiki",
  "contact",
  "timeline/profile",
  "timeline/user",
  "timeline/project",
  "webhooks",
  "webhooklogs",
  "github-hook",
  "gitlab-hook",
  "bitbucket-hook",
  "gogs-hook",
  "importer",
  "exporter",
  "applications",
  "application-tokens",
];

function apiRoot(ctx: Ctx): Reply {
  return ok(Object.fromEntries(API_ROOT_NAMES.map((name) => [name, `${ctx.apiUrl}/${name}`])));
}

/** GET /resolver?project=<slug>&us=<ref>… (§9.17). */
function resolver(ctx: Ctx): Reply {
  const { query: q, state } = ctx;
  if (!q['project']) throw fieldErrors({ project: ['This field is required.'] });
  const project = [...state.projects.values()].find((p) => p.slug === q['project'] && can(ctx, p, 'view_project'));
  if (!project) throw ctx.user ? notFound('') : notAuthenticated();
  const keys = ['epic', 'us', 'task', 'issue', 'milestone', 'wikipage'].filter((k) => q[k] !== undefined);
  if (q['ref'] !== undefined && keys.length) {
    throw fieldErrors({ non_field_errors: [`'${keys[0]}' param is incompatible with 'ref' in the same request`] });
  }
  const inProject = <T extends { project: number; ref: number; id: number }>(items: Map<number, T>, ref: string) =>
    [...items.values()].find((x) => x.project === project.id && String(x.ref) === ref)?.id;
  const byRef = {
    epic: (ref: string) => inProject(state.epics, ref),
    us: (ref: string) => inProject(state.stories, ref),
    task: (ref: string) => inProject(state.tasks, ref),
    issue: (ref: string) => inProject(state.issues, ref),
    milestone: (slug: string) => [...state.milestones.values()].find((m) => m.project === project.id && m.slug === slug)?.id,
    wikipage: (slug: string) => [...state.wikiPages.values()].find((w) => w.project === project.id && w.slug === slug)?.id,
  } as const;
  const out: Record<string, number> = { project: project.id };
  for (const key of keys) {
    const find = byRef[key as keyof typeof byRef];
    const id = find?.(q[key]!);
    if (id === undefined) throw notFound('');
    out[key] = id;
  }
  // A numeric ref is tried as epic, story, task, then issue, the first hit winning; anything else is a wiki slug.
  if (q['ref'] !== undefined) {
    for (const key of /^\d+$/.test(q['ref']) ? (['epic', 'us', 'task', 'issue'] as const) : (['wikipage'] as const)) {
      const id = byRef[key](q['ref']);
      if (id !== undefined) {
        out[key] = id;
        break;
      }
    }
  }
  return ok(out);
}

export const miscRoutes: RouteTable = [
  ['/', { GET: apiRoot }],
  ['/resolver', { GET: resolver }],
];
