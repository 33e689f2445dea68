// /wiki-links (§9.10): the wiki's menu. `href` is always derived from the title
// (README #21), and creating a link creates its page when the caller may add pages.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { noContent, notFoundModel, ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, missingForWrite, requireNotBlocked } from '../permissions.js';
import { wikiLinkOut } from '../serializers/wiki.js';
import { slugify } from '../template.js';
import type { WikiLink } from '../types.js';
import { Checker } from './item-input.js';
import { parseId } from './lookup.js';
import { createPage } from './wiki.js';

const visible = (ctx: Ctx, l: WikiLink) => can(ctx, ctx.state.projects.get(l.project)!, 'view_wiki_links');

function list(ctx: Ctx): Reply {
  const project = ctx.query['project'];
  const links = [...ctx.state.wikiLinks.values()]
    .filter((l) => visible(ctx, l) && (project === undefined || String(l.project) === project))
    .sort((a, b) => a.project - b.project || a.order - b.order || a.id - b.id);
  return paginate(ctx, links.map(wikiLinkOut));
}

function retrieve(ctx: Ctx): Reply {
  const l = ctx.state.wikiLinks.get(parseId(ctx));
  if (!l) throw notFoundModel('WikiLink');
  if (!visible(ctx, l)) denied(ctx);
  return ok(wikiLinkOut(l));
}

function create(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const c = new Checker(ctx, body);
  const project = c.project(true);
  c.requiredText('title');
  const order = c.integer('order');
  c.done();
  if (!can(ctx, project!, 'add_wiki_link')) denied(ctx);
  requireNotBlocked(project!);
  const title = String(body['title']);
  const id = ctx.state.nextId('wikilink');
  const link: WikiLink = { id, project: project!.id, title, href: slugify(title), order: order ?? Date.now() };
  ctx.state.wikiLinks.set(id, link);
  const exists = [...ctx.state.wikiPages.values()].some((w) => w.project === link.project && w.slug === link.href);
  if (!exists && can(ctx, project!, 'add_wiki_page')) createPage(ctx, project!, link.href, '');
  return ok(wikiLinkOut(link), 201);
}

function writable(ctx: Ctx, perm: string): WikiLink {
  const l = ctx.state.wikiLinks.get(parseId(ctx));
  if (!l || !visible(ctx, l)) missingForWrite(ctx);
  const project = ctx.state.projects.get(l.project)!;
  if (!can(ctx, project, perm)) denied(ctx);
  requireNotBlocked(project);
  return l;
}

function update(ctx: Ctx): Reply {
  const l = writable(ctx, 'modify_wiki_link');
  const body = bodyObject(ctx);
  const c = new Checker(ctx, body);
  if (ctx.method === 'PUT') c.requiredText('title');
  const order = c.integer('order');
  c.done();
  if (typeof body['title'] === 'string' && body['title']) {
    l.title = body['title'];
    l.href = slugify(l.title);
  }
  if (order !== undefined) l.order = order;
  return ok(wikiLinkOut(l));
}

function destroy(ctx: Ctx): Reply {
  ctx.state.wikiLinks.delete(writable(ctx, 'delete_wiki_link').id);
  return noContent();
}

export const wikiLinkRoutes: RouteTable = [
  ['/wiki-links', { GET: list, POST: create }],
  ['/wiki-links/:id', { GET: retrieve, PUT: update, PATCH: update, DELETE: destroy }],
];
