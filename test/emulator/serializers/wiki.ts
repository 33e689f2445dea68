// Wiki page and wiki link serializers (§9.10). A page's `editions` counts its
// change entries plus the creation.
import type { Ctx } from '../context.js';
import { renderMarkdown } from '../markdown.js';
import type { WikiLink, WikiPage } from '../types.js';
import { projectExtraInfo } from './items.js';

export function wikiPageOut(ctx: Ctx, w: WikiPage) {
  const project = ctx.state.projects.get(w.project)!;
  const changes = ctx.state.history.of('wiki', w.id).filter((e) => e.type === 'change').length;
  return {
    project: w.project, project_extra_info: projectExtraInfo(project), is_watcher: !!ctx.user && w.watchers.includes(ctx.user.id),
    total_watchers: w.watchers.length, id: w.id, slug: w.slug, content: w.content, owner: w.owner, last_modifier: w.last_modifier,
    created_date: w.created_date, modified_date: w.modified_date, html: renderMarkdown(w.content, project.slug), editions: changes + 1,
    version: w.version,
  };
}

export function wikiLinkOut(l: WikiLink) {
  return { id: l.id, project: l.project, title: l.title, href: l.href, order: l.order };
}
