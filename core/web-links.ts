import type { ToolContext } from './plugin/tool-types.js';
import type { TaigaHosts } from './taiga-hosts.js';
import { FRONT_SEGMENTS, frontLink, type LinkedKind } from './taiga/front-url.js';

/** The web front-end root of the caller's Taiga (see TaigaHosts.frontUrl). */
export const frontOf = (ctx: ToolContext): string => ctx.service<TaigaHosts>('hosts').frontUrl(ctx.session.apiUrl);

export const isLinked = (kind: string): kind is LinkedKind => Object.hasOwn(FRONT_SEGMENTS, kind);

/** An item's web link; undefined for a kind Taiga's front-end has no page for (a plugin's own kind). */
export function webLink(ctx: ToolContext, kind: string, projectSlug: string, key: string | number): string | undefined {
  return isLinked(kind) ? frontLink(frontOf(ctx), projectSlug, kind, key) : undefined;
}

/** A list's link pattern, said once: `{ref}` stands for each row's ref. */
export const linkPattern = (ctx: ToolContext, kind: string, projectSlug: string): string | undefined => webLink(ctx, kind, projectSlug, '{ref}');
