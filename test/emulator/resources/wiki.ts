// /wiki (§9.10): pages with OCC through the history recorder (kind `wiki`),
// by_slug, render and watching.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, notFound, notFoundModel, ok, rawError, type Reply } from '../http.js';
import { renderMarkdown } from '../markdown.js';
import { commitCreate, commitUpdate, isCommentOnly, occError, recordDeletion } from '../occ.js';
import { paginate } from '../pagination.js';
import { can, denied, missingForWrite, requireNotBlocked } from '../permissions.js';
import { wikiPageOut } from '../serializers/wiki.js';
import type { Project, WikiPage } from '../types.js';
import { dropAttachments } from './attachments.js';
import { Checker } from './item-input.js';
import { parseId } from './lookup.js';
import { watchRoutes } from './watching.js';

const SLUG = /^[-\p{L}\p{N}_]+$/u;
const BAD_SLUG = 'Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.';

const visible = (ctx: Ctx, w: WikiPage) => can(ctx, ctx.state.projects.get(w.project)!, 'view_wiki_pages');

function page(ctx: Ctx, w: WikiPage | undefined): WikiPage {
  if (!w) throw notFoundModel('WikiPage');
  if (!visible(ctx, w)) denied(ctx);
  return w;
}
const pageById = (ctx: Ctx) => page(ctx, ctx.state.wikiPages.get(parseId(ctx)));

function list(ctx: Ctx): Reply {
  const { project, slug } = ctx.query;
  const pages = [...ctx.state.wikiPages.values()]
    .filter((w) => visible(ctx, w) && (project === undefined || String(w.project) === project) && (slug === undefined || w.slug === slug))
    .sort((a, b) => a.project - b.project || a.slug.localeCompare(b.slug));
  return paginate(ctx, pages.map((w) => wikiPageOut(ctx, w)));
}

function bySlug(ctx: Ctx): Reply {
  const { project, slug } = ctx.query;
  const w = [...ctx.state.wikiPages.values()].find((x) => x.slug === slug && String(x.project) === project);
  return ok(wikiPageOut(ctx, page(ctx, w)));
}

/** A new page (also made by POST /wiki-links); the caller has checked permissions. */
export function createPage(ctx: Ctx, project: Project, slug: string, content: string, body: Record<string, unknown> = {}): WikiPage {
  const now = new Date().toISOString();
  const id = ctx.state.nextId('wikipage');
  const w: WikiPage = {
    id, project: project.id, slug, content, owner: ctx.user?.id ?? null, last_modifier: ctx.user?.id ?? null, created_date: now,
    modified_date: now, version: 1, watchers: [],
  };
  ctx.state.wikiPages.set(id, w);
  commitCreate(ctx, 'wiki', w, body);
  return w;
}

const slugTaken = (ctx: Ctx, projectId: number, slug: string, except?: number) =>
  [...ctx.state.wikiPages.values()].some((w) => w.project === projectId && w.slug === slug && w.id !== except);

function checkSlug(c: Checker, required: boolean): string | undefined {
  if (!c.has('slug')) return void (required && c.fail('slug', 'This field is required.'));
  const slug = c.body['slug'];
  if (typeof slug !== 'string' || slug === '') return void c.fail('slug', 'This field is required.');
  if (!SLUG.test(slug)) return void c.fail('slug', BAD_SLUG);
  return slug;
}

function create(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const c = new Checker(ctx, body);
  const project = c.project(true);
  const slug = checkSlug(c, true);
  c.done();
  if (slugTaken(ctx, project!.id, slug!)) throw fieldErrors({ __all__: ['Wiki page with this Project and Slug already exists.'] });
  if (!can(ctx, project!, 'add_wiki_page')) denied(ctx);
  requireNotBlocked(project!);
  const w = createPage(ctx, project!, slug!, body['content'] === undefined ? '' : String(body['content'] ?? ''), body);
  return ok(wikiPageOut(ctx, w), 201);
}

function writable(ctx: Ctx): WikiPage {
  const w = ctx.state.wikiPages.get(parseId(ctx));
  if (!w || !visible(ctx, w)) missingForWrite(ctx);
  return w;
}

function update(ctx: Ctx): Reply {
  const w = writable(ctx);
  const body = bodyObject(ctx);
  const project = ctx.state.projects.get(w.project)!;
  if (!can(ctx, project, isCommentOnly(body) ? 'comment_wiki_page' : 'modify_wiki_page')) denied(ctx);
  const c = new Checker(ctx, body);
  if (ctx.method === 'PUT') c.project(true);
  const slug = checkSlug(c, ctx.method === 'PUT');
  c.version();
  c.done();
  const conflict = occError(ctx.state, 'wiki', w, body);
  if (conflict) throw rawError(400, conflict);
  if (slug !== undefined && slugTaken(ctx, w.project, slug, w.id)) throw fieldErrors({ __all__: ['Wiki page with this Project and Slug already exists.'] });
  requireNotBlocked(project);
  if (slug !== undefined) w.slug = slug;
  if ('content' in body) w.content = String(body['content'] ?? '');
  else if (ctx.method === 'PUT') w.content = '';
  w.last_modifier = ctx.user?.id ?? null;
  commitUpdate(ctx, 'wiki', w, body);
  return ok(wikiPageOut(ctx, w));
}

function destroy(ctx: Ctx): Reply {
  const w = writable(ctx);
  const project = ctx.state.projects.get(w.project)!;
  if (!can(ctx, project, 'delete_wiki_page')) denied(ctx);
  requireNotBlocked(project);
  recordDeletion(ctx, 'wiki', w);
  dropAttachments(ctx.state, 'wiki', w.id);
  ctx.state.wikiPages.delete(w.id);
  return noContent();
}

function render(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  if (!body['content']) throw rawError(400, { content: "'content' parameter is mandatory" });
  if (!body['project_id']) throw rawError(400, { project_id: "'project_id' parameter is mandatory" });
  const project = ctx.state.projects.get(Number(body['project_id']));
  if (!project) throw notFound('');
  if (!can(ctx, project, 'view_wiki_pages')) denied(ctx);
  return ok({ data: renderMarkdown(String(body['content']), project.slug) });
}

export const wikiRoutes: RouteTable = [
  ['/wiki', { GET: list, POST: create }],
  ['/wiki/by_slug', { GET: bySlug }],
  ['/wiki/render', { POST: render }],
  ['/wiki/:id', { GET: (ctx) => ok(wikiPageOut(ctx, pageById(ctx))), PUT: update, PATCH: update, DELETE: destroy }],
  ...watchRoutes('/wiki', pageById),
];
