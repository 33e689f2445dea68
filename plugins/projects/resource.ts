import type { ResourceDefinition } from '../../core/plugin/types.js';
import { json, word } from '../../core/render/untrusted.js';
import { projectSlugs } from '../../core/work-items/index.js';
import { leanProject, projectLine, projectLookups, type ProjectOutput } from './fields.js';
import type * as v from 'valibot';

/** `taiga://projects/{project}`: what get_project shows; the caller's projects are listed. */
export const projectResource: ResourceDefinition = {
  name: 'project',
  title: 'Project',
  description: 'A project by slug, with the valid names of its statuses, sprints and members.',
  uriTemplate: 'taiga://projects/{project}',
  requires: ['get_project', 'list_projects'],
  async read({ project }, ctx) {
    const { raw, meta } = await ctx.resolve.projectDetail(await ctx.resolve.projectId(project!));
    const data = { project: leanProject(raw) as v.InferOutput<typeof ProjectOutput>, lookups: projectLookups(meta, raw['tags_colors']) };
    return { data, text: `${projectLine(data.project)}\nlookups: ${json(data.lookups)}` };
  },
  complete: (_variable, _typed, _vars, ctx) => projectSlugs(ctx),
  async list(ctx) {
    return (await projectSlugs(ctx)).map((slug) => ({ uri: `taiga://projects/${encodeURIComponent(slug)}`, name: word(slug) }));
  },
};
