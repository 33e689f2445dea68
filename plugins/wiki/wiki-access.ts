import * as v from 'valibot';
import { TaigaMcpError } from '../../core/errors.js';
import type { ProjectMetadata } from '../../core/resolve/project-metadata.js';
import { block, quote, word } from '../../core/render/untrusted.js';
import { pick } from '../../core/schemas.js';
import type { VersionedTarget } from '../../core/work-items/index.js';

type Raw = Record<string, unknown>;

/** Wiki pages are versioned like work items (taiga-api.md §9.10) but named by slug within a project. */
export const WIKI_PAGE: VersionedTarget = {
  name: 'wiki_page',
  label: 'wiki page',
  endpoint: '/wiki',
  historyType: 'wiki',
  boardFields: [],
  /**
   * Taiga allows a slug of digits ("2024"), so a string is always a slug and only a number is an id:
   * "4" never reaches page id 4 (taiga-api.md §9.10).
   */
  async byName(ctx, slug, project, field) {
    if (project === undefined) {
      const digits = /^\d+$/.test(slug);
      const why = digits ? 'a string is a slug, which needs project_id; a page id is a number' : 'a slug needs project_id';
      throw new TaigaMcpError('INVALID_INPUT', { message: `${field}: ${why}.`, details: { fields: { [field]: why } }, ...(digits && { hint: `Give the id as a number (${slug}, not "${slug}"), or the slug with project_id.` }) });
    }
    try {
      return await ctx.taiga.get<Raw>('/wiki/by_slug', { slug, project });
    } catch (err) {
      if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') {
        throw new TaigaMcpError('NOT_FOUND', { message: `No wiki page with slug ${quote(slug.slice(0, 100))} in project ${project}.`, hint: 'list_wiki_pages gives the slugs; a page id is given as a number.' });
      }
      throw err;
    }
  },
};

/** Taiga's rule for slugs (letters, digits, _ and -), checked before Taiga sees one. */
export const Slug = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(250), v.regex(/^[\p{L}\p{N}_-]+$/u, 'a slug has only letters, digits, _ and -'));
export const Content = v.pipe(v.string(), v.maxLength(200_000));

const Page = { id: v.number(), slug: v.string(), version: v.number(), modified: v.optional(v.string()), last_modifier: v.optional(v.string()), editions: v.optional(v.number()) };
export const PageOutput = v.object(Page);
export const PageDetailOutput = v.object({ ...Page, project: v.number(), owner: v.optional(v.string()), created: v.optional(v.string()), content: v.optional(v.string()) });
export type LeanPage = v.InferOutput<typeof PageDetailOutput>;
/** A write's answer: the page's name and new version, and the content it changed (no owner, dates or project). */
export const PageWriteOutput = v.object({ id: v.number(), slug: v.string(), version: v.number(), content: v.optional(v.string()) });
export const writtenPage = (raw: Raw) => pick({ id: raw['id'], slug: raw['slug'], version: raw['version'], content: raw['content'] }, ['id', 'slug', 'version', 'content']) as v.InferOutput<typeof PageWriteOutput>;

const username = (meta: ProjectMetadata | undefined, id: unknown): string | undefined => meta?.members.find((m) => m.id === id)?.username;

export function leanPage(raw: Raw, meta?: ProjectMetadata, detail = false): LeanPage {
  const base = { id: raw['id'], slug: raw['slug'], version: raw['version'], modified: raw['modified_date'], last_modifier: username(meta, raw['last_modifier']), editions: raw['editions'] };
  const more = detail ? { project: raw['project'], owner: username(meta, raw['owner']), created: raw['created_date'], content: raw['content'] } : {};
  return pick({ ...base, ...more }, [...Object.keys(base), ...Object.keys(more)]) as LeanPage;
}

export function pageText(p: Omit<LeanPage, 'project'> & { content?: string }): string {
  const line = [`wiki ${word(p.slug)}`, `id=${p.id}`, `v${p.version}`, p.last_modifier ? `by:@${word(p.last_modifier)}` : '', p.modified ? `modified:${p.modified}` : ''].filter(Boolean).join(' ');
  return p.content === undefined ? line : `${line}\ncontent:\n${block(p.content)}`;
}
