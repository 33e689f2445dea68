import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { IdOrName, ProjectRef } from '../../../core/schemas.js';
import { DESTRUCTIVE, WRITE } from '../../../core/work-items/index.js';
import { quoteShort } from '../../../core/confirm/question.js';
import { quote } from '../../../core/render/untrusted.js';

type Raw = Record<string, unknown>;
const Link = v.object({ id: v.number(), title: v.string(), href: v.string() });
const Title = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500));

export const addWikiLink = defineTool({
  name: 'add_wiki_link',
  title: 'Add wiki link',
  description: 'Add a link to the wiki sidebar; Taiga derives its page slug from the title and creates the page.',
  input: v.strictObject({ project_id: ProjectRef, title: Title }),
  output: Link,
  annotations: WRITE,
  async handler({ project_id, title }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const link = await ctx.taiga.post<Raw>('/wiki-links', { project, title });
    return { id: link['id'] as number, title: String(link['title']), href: String(link['href']) };
  },
  render: (l) => `Added wiki link id=${l.id} ${quote(l.title)} → ${quote(l.href)}.`,
});

export const removeWikiLink = defineTool({
  name: 'remove_wiki_link',
  title: 'Remove wiki link',
  description: 'Remove a link from the wiki sidebar (by id or title); its page stays.',
  input: v.strictObject({ project_id: ProjectRef, link: IdOrName }),
  output: v.object({ status: v.literal('removed'), id: v.number(), title: v.string() }),
  annotations: DESTRUCTIVE,
  confirmation: 'handler',
  async handler({ project_id, link }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const { items } = await ctx.taiga.all<Raw>('/wiki-links', { project });
    const wanted = String(link).trim().toLowerCase();
    const found = items.find((l) => String(l['id']) === wanted || String(l['title']).toLowerCase() === wanted);
    if (!found) throw new TaigaMcpError('INVALID_INPUT', { message: `No wiki link ${quote(String(link).slice(0, 100))} in project ${project}.`, details: { fields: { link: 'not a link of this project' }, valid_values: items.map((l) => String(l['title'])).slice(0, 50) } });
    await ctx.confirm({ message: `Remove the link ${quoteShort(String(found['title']))} from the wiki sidebar of ${(await ctx.resolve.project(project)).slug} (its page stays)?`, version: found['id'] });
    await ctx.taiga.delete(`/wiki-links/${String(found['id'])}`);
    return { status: 'removed' as const, id: found['id'] as number, title: String(found['title']) };
  },
  render: (r) => `Removed wiki link id=${r.id} ${quote(r.title)}.`,
});
