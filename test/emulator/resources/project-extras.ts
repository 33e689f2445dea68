// Project actions beyond CRUD: stats, modules (integration settings), tags,
// fans and watchers, and /project-templates.
import { createHash } from 'node:crypto';
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { NOT_EMULATED_WRITES, emptyOk, fieldErrors, noContent, notAuthenticated, notEmulated, notFound, notFoundModel, ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, isProjectAdmin, requireNotBlocked } from '../permissions.js';
import { PROJECT_TEMPLATES } from '../serializers/templates.js';
import type { Project } from '../types.js';
import { parseId } from './lookup.js';
import { issuesStats, memberStats, projectStats } from './project-stats.js';
import { usersOrdered } from './watching.js';

function visibleProject(ctx: Ctx): Project {
  const p = ctx.state.projects.get(parseId(ctx));
  if (!p) throw ctx.user ? notFound('') : notAuthenticated();
  if (!can(ctx, p, 'view_project')) denied(ctx);
  return p;
}

function adminProject(ctx: Ctx): Project {
  const p = visibleProject(ctx);
  if (!isProjectAdmin(ctx, p)) denied(ctx);
  requireNotBlocked(p);
  return p;
}

/** Bitbucket's published webhook source ranges, as taiga-back's settings list them. */
const BITBUCKET_IPS = [
  '13.52.5.96/28', '13.236.8.224/28', '18.184.99.224/28', '18.234.32.224/28', '18.246.31.224/28', '52.215.192.224/28', '104.192.137.240/28',
  '104.192.138.240/28', '104.192.140.240/28', '104.192.142.240/28', '104.192.143.240/28', '185.166.143.240/28', '185.166.142.240/28',
];

/** The hooks' config, made on first read with stable secrets, and the project's closing issue status. */
function modulesOf(ctx: Ctx, p: Project): Record<string, Record<string, unknown>> {
  if (!p.modules) {
    const secret = (name: string) => createHash('sha256').update(`${name}:${p.id}`).digest('hex').slice(0, 32);
    const closeStatus = ctx.state.choicesOf('issue_status', p.id).find((s) => s.is_closed)?.id ?? null;
    p.modules = {
      github: { secret: secret('github'), close_status: closeStatus },
      gitlab: { secret: secret('gitlab'), valid_origin_ips: [], close_status: closeStatus },
      bitbucket: { secret: secret('bitbucket'), valid_origin_ips: [...BITBUCKET_IPS] },
      gogs: { secret: secret('gogs') },
    };
  }
  const hook = (name: string, withKey: boolean) =>
    `${ctx.apiUrl}/${name}-hook?project=${p.id}${withKey ? `&key=${String(p.modules![name]!['secret'])}` : ''}`;
  return Object.fromEntries(Object.entries(p.modules).map(([name, config]) => [
    name, { ...config, webhooks_url: hook(name, name === 'gitlab' || name === 'bitbucket') },
  ]));
}

function patchModules(ctx: Ctx): Reply {
  const p = adminProject(ctx);
  modulesOf(ctx, p);
  for (const [name, config] of Object.entries(bodyObject(ctx))) {
    if (config && typeof config === 'object' && p.modules![name]) Object.assign(p.modules![name]!, config);
  }
  return noContent();
}

/** Renames or recolours a tag everywhere in the project (edit_tag), or removes it (delete_tag). */
function retag(ctx: Ctx, p: Project, from: string, to: string | null): void {
  const { state } = ctx;
  for (const map of [state.stories, state.tasks, state.issues, state.epics] as Map<number, { project: number; tags: string[] }>[]) {
    for (const item of map.values()) {
      if (item.project !== p.id || !item.tags.includes(from)) continue;
      item.tags = to === null ? item.tags.filter((t) => t !== from) : [...new Set(item.tags.map((t) => (t === from ? to : t)))];
    }
  }
}

function tagAction(apply: (ctx: Ctx, p: Project, body: Record<string, unknown>) => void) {
  return (ctx: Ctx): Reply => {
    const p = adminProject(ctx);
    apply(ctx, p, bodyObject(ctx));
    return emptyOk();
  };
}

const tag = (body: Record<string, unknown>, field: string) => {
  const v = body[field];
  if (typeof v !== 'string' || !v) throw fieldErrors({ [field]: ['This field is required.'] });
  return v.toLowerCase();
};

const existingTag = (p: Project, body: Record<string, unknown>, field: string) => {
  const name = tag(body, field);
  if (!Object.hasOwn(p.tags_colors, name)) throw fieldErrors({ [field]: ["The tag doesn't exist."] });
  return name;
};

/** `color` of a tag body: absent is null; anything but #RGB or #RRGGBB is refused (required: null too). */
const hexColor = (body: Record<string, unknown>, required: boolean): string | null => {
  const color = body['color'];
  if ((color === undefined || color === null) && !required) return null;
  if (typeof color !== 'string' || !/^#([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$/.test(color)) throw fieldErrors({ color: ['The color is not a valid HEX color.'] });
  return color;
};

export const projectExtraRoutes: RouteTable = [
  ['/projects/:id/stats', { GET: (ctx) => projectStats(ctx, visibleProject(ctx)) }],
  ['/projects/:id/member_stats', { GET: (ctx) => memberStats(ctx, visibleProject(ctx)) }],
  ['/projects/:id/issues_stats', { GET: (ctx) => issuesStats(ctx, visibleProject(ctx)) }],
  ['/projects/:id/modules', { GET: (ctx) => ok(modulesOf(ctx, adminProject(ctx))), PATCH: patchModules }],
  ['/projects/:id/tags_colors', { GET: (ctx) => ok(visibleProject(ctx).tags_colors) }],
  ['/projects/:id/fans', { GET: (ctx) => paginate(ctx, usersOrdered(ctx.state, visibleProject(ctx).fans)) }],
  ['/projects/:id/watchers', { GET: (ctx) => paginate(ctx, usersOrdered(ctx.state, visibleProject(ctx).watchers)) }],
  // Written from taiga-back's projects/tagging (validators.py, services.py): a tag is "existing" when
  // the project's tags_colors has it; colours are #RGB or #RRGGBB; mix_tags merges tags into one.
  ['/projects/:id/create_tag', {
    POST: tagAction((_ctx, p, body) => {
      const name = tag(body, 'tag');
      if (Object.hasOwn(p.tags_colors, name)) throw fieldErrors({ tag: ['The tag exists.'] });
      p.tags_colors[name] = hexColor(body, false);
    }),
  }],
  ['/projects/:id/edit_tag', {
    POST: tagAction((ctx, p, body) => {
      const from = existingTag(p, body, 'from_tag');
      const to = typeof body['to_tag'] === 'string' && body['to_tag'] ? body['to_tag'].toLowerCase() : from;
      if (to !== from && Object.hasOwn(p.tags_colors, to)) throw fieldErrors({ to_tag: ['The tag exists yet'] });
      const color = 'color' in body ? hexColor(body, true) : (p.tags_colors[from] ?? null);
      delete p.tags_colors[from];
      p.tags_colors[to] = color;
      if (to !== from) retag(ctx, p, from, to);
    }),
  }],
  ['/projects/:id/delete_tag', {
    POST: tagAction((ctx, p, body) => {
      const name = existingTag(p, body, 'tag');
      delete p.tags_colors[name];
      retag(ctx, p, name, null);
    }),
  }],
  ['/projects/:id/mix_tags', {
    POST: tagAction((ctx, p, body) => {
      const from = Array.isArray(body['from_tags']) ? (body['from_tags'] as unknown[]).map(String) : [];
      if (from.some((t) => !Object.hasOwn(p.tags_colors, t.toLowerCase()))) throw fieldErrors({ from_tags: ["The tag doesn't exist."] });
      const to = existingTag(p, body, 'to_tag');
      for (const t of from.map((x) => x.toLowerCase()).filter((x) => x !== to)) {
        delete p.tags_colors[t];
        retag(ctx, p, t, to);
      }
    }),
  }],
  // Creating and editing templates is a superuser's admin task: routed (Allow) but not emulated.
  ['/project-templates', { GET: (ctx) => paginate(ctx, PROJECT_TEMPLATES), POST: notEmulated }],
  ['/project-templates/:id', {
    GET: (ctx) => {
      const t = PROJECT_TEMPLATES.find((x) => x.id === parseId(ctx));
      if (!t) throw notFoundModel('ProjectTemplate');
      return ok(t);
    },
    ...NOT_EMULATED_WRITES,
  }],
];
