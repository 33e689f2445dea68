import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { ProjectRef } from '../../../core/schemas.js';
import { quote, word } from '../../../core/render/untrusted.js';
import { READ } from '../../../core/work-items/index.js';
import { frontOf, webLink } from '../../../core/web-links.js';
import { FRONT_SEGMENTS, type LinkedKind } from '../../../core/taiga/front-url.js';

type Raw = Record<string, unknown>;

/** Each kind: its key in Taiga's /resolver answer and query, and the route of its detail. */
const KINDS: Record<LinkedKind, { resolver: string; endpoint: string }> = {
  epic: { resolver: 'epic', endpoint: '/epics' },
  user_story: { resolver: 'us', endpoint: '/userstories' },
  task: { resolver: 'task', endpoint: '/tasks' },
  issue: { resolver: 'issue', endpoint: '/issues' },
  sprint: { resolver: 'milestone', endpoint: '/milestones' },
  wiki_page: { resolver: 'wikipage', endpoint: '/wiki' },
};
const BY_SEGMENT = new Map<string, LinkedKind>(Object.entries(FRONT_SEGMENTS).map(([kind, segment]) => [segment, kind as LinkedKind]));
const BARE_REF = /^#?(\d{1,10})$/;

const invalid = (field: string, problem: string, extra: Record<string, unknown> = {}) =>
  new TaigaMcpError('INVALID_INPUT', { message: `${field}: ${problem}`, details: { fields: { [field]: problem }, ...extra } });

/** What a pasted link names: the project's slug, the kind, and its ref or slug; only links of this Taiga's front-end. */
function parseLink(link: string, front: string): { slug: string; kind: LinkedKind; key: string } {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw invalid('ref', 'expected "#ref", a number or a Taiga web link');
  }
  const base = new URL(`${front}/`);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw invalid('ref', 'not a link of this Taiga\'s web front-end', { front_end: front });
  }
  const parts = url.pathname.slice(base.pathname.length).split('/').filter(Boolean);
  const kind = BY_SEGMENT.get(parts[2] ?? '');
  if (parts.length !== 4 || parts[0] !== 'project' || kind === undefined) {
    throw invalid('ref', `expected a link to an item: ${front}/project/<slug>/(${Object.values(FRONT_SEGMENTS).join('|')})/<ref or slug>`);
  }
  try {
    return { slug: decodeURIComponent(parts[1]!), kind, key: decodeURIComponent(parts[3]!) };
  } catch {
    throw invalid('ref', 'the link is not validly encoded');
  }
}

async function projectOf(ctx: ToolContext, value: number | string) {
  return ctx.resolve.project(await ctx.resolve.projectId(value));
}

export const resolveRef = defineTool({
  name: 'resolve_ref',
  title: 'Resolve a ref or link',
  description: 'Kind, id, subject, state of a "#ref" (with project_id) or pasted Taiga link.',
  input: v.strictObject({ ref: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(2048)), project_id: v.optional(ProjectRef) }),
  output: v.object({
    kind: v.picklist(Object.keys(KINDS) as LinkedKind[]),
    id: v.number(),
    ref: v.optional(v.number()),
    subject: v.string(),
    status: v.optional(v.string()),
    closed: v.optional(v.boolean()),
    version: v.optional(v.number()),
    project: v.string(),
    url: v.string(),
  }),
  annotations: READ,
  async handler({ ref, project_id }, ctx) {
    const bare = BARE_REF.exec(ref);
    let slug: string;
    let query: Record<string, string>;
    if (bare) {
      if (project_id === undefined) throw invalid('project_id', 'needed with a bare ref');
      slug = (await projectOf(ctx, project_id)).slug;
      query = { project: slug, ref: bare[1]! };
    } else {
      const link = parseLink(ref, frontOf(ctx));
      if (project_id !== undefined && (await projectOf(ctx, project_id)).slug !== link.slug) {
        throw invalid('project_id', `the link is of project ${link.slug}`);
      }
      slug = link.slug;
      query = { project: slug, [KINDS[link.kind].resolver]: link.key };
    }
    const found = await ctx.taiga.get<Raw>('/resolver', query);
    ctx.audit.project = found['project'] as number;
    const kind = (Object.keys(KINDS) as LinkedKind[]).find((k) => typeof found[KINDS[k].resolver] === 'number');
    if (kind === undefined) throw new TaigaMcpError('NOT_FOUND', { message: `Nothing has ref ${quote(ref)} in project ${slug}.` });
    const id = found[KINDS[kind].resolver] as number;
    const raw = await ctx.taiga.get<Raw>(`${KINDS[kind].endpoint}/${id}`);
    const status = raw['status_extra_info'] as Raw | null | undefined;
    const key = kind === 'sprint' || kind === 'wiki_page' ? String(raw['slug']) : (raw['ref'] as number);
    return {
      kind,
      id,
      ...(typeof raw['ref'] === 'number' && { ref: raw['ref'] }),
      subject: String(raw['subject'] ?? raw['name'] ?? raw['slug']),
      ...(status && typeof status['name'] === 'string' && { status: status['name'] }),
      ...((raw['is_closed'] === true || raw['closed'] === true) && { closed: true }),
      ...(typeof raw['version'] === 'number' && { version: raw['version'] }),
      project: slug,
      url: webLink(ctx, kind, slug, key)!,
    };
  },
  render: (r) =>
    [r.kind, r.ref !== undefined ? `#${r.ref}` : '', `id=${r.id}`, quote(r.subject), r.status ? `status:${quote(r.status)}` : '', r.closed ? 'closed' : '', r.version ? `v${r.version}` : '', `project:${word(r.project)}`, r.url]
      .filter(Boolean)
      .join(' '),
});
