import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ChoiceKind, ProjectMetadata } from '../../../core/resolve/project-metadata.js';
import { pick, ProjectRef, Text } from '../../../core/schemas.js';
import { quote, word } from '../../../core/render/untrusted.js';
import { READ } from '../../../core/work-items/index.js';

type Raw = Record<string, unknown>;
const Hit = v.object({ id: v.number(), ref: v.number(), subject: v.string(), status: v.optional(v.string()), assigned_to: v.optional(v.string()) });
type LeanHit = v.InferOutput<typeof Hit>;

/** Taiga's /search answers ids of statuses and users: named here from the project's metadata. */
const GROUPS: Array<[string, string, ChoiceKind]> = [['user_stories', 'userstories', 'us_status'], ['tasks', 'tasks', 'task_status'], ['issues', 'issues', 'issue_status'], ['epics', 'epics', 'epic_status']];

function hit(raw: Raw, meta: ProjectMetadata, status: ChoiceKind): LeanHit {
  const statusName = meta.choices[status].find((c) => c.id === raw['status'])?.name;
  const user = meta.members.find((m) => m.id === raw['assigned_to'])?.username;
  return { id: raw['id'] as number, ref: raw['ref'] as number, subject: String(raw['subject']), ...(statusName && { status: statusName }), ...(user && { assigned_to: user }) };
}

export const search = defineTool({
  name: 'search',
  title: 'Search a project',
  description: 'Find user stories, tasks, issues, epics and wiki pages of a project by text (at most 150 of each).',
  input: v.strictObject({ project_id: ProjectRef, text: Text(200) }),
  // A kind with no hit is left out (an absent list is empty).
  output: v.object({ user_stories: v.optional(v.array(Hit)), tasks: v.optional(v.array(Hit)), issues: v.optional(v.array(Hit)), epics: v.optional(v.array(Hit)), wiki_pages: v.optional(v.array(v.object({ id: v.number(), slug: v.string() }))), count: v.number() }),
  annotations: READ,
  async handler({ project_id, text }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const [found, meta] = await Promise.all([ctx.taiga.get<Raw>('/search', { project, text }), ctx.resolve.project(project)]);
    const groups = Object.fromEntries(GROUPS.map(([name, key, status]) => [name, ((found[key] as Raw[] | undefined) ?? []).map((r) => hit(r, meta, status))]));
    const wiki = ((found['wikipages'] as Raw[] | undefined) ?? []).map((w) => ({ id: w['id'] as number, slug: String(w['slug']) }));
    const lists = pick({ ...groups, wiki_pages: wiki }, [...GROUPS.map(([name]) => name), 'wiki_pages']) as Partial<Record<'user_stories' | 'tasks' | 'issues' | 'epics', LeanHit[]> & { wiki_pages: typeof wiki }>;
    return { ...lists, count: Number(found['count'] ?? 0) };
  },
  render: (r) =>
    [
      `${r.count} found`,
      ...GROUPS.flatMap(([name]) => (r[name as 'tasks'] ? [`${name}:`, ...r[name as 'tasks']!.map((h) => `#${h.ref} ${quote(h.subject)}${h.status ? ` status:${quote(h.status)}` : ''}${h.assigned_to ? ` @${word(h.assigned_to)}` : ''} id=${h.id}`)] : [])),
      ...(r.wiki_pages ? ['wiki_pages:', ...r.wiki_pages.map((w) => `${word(w.slug)} id=${w.id}`)] : []),
    ].join('\n'),
});
