import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { ProjectRef, untrusted } from '../../../core/schemas.js';
import { leanProject, projectLookups, ProjectOutput } from '../fields.js';

export const getProject = defineTool({
  name: 'get_project',
  title: 'Get project',
  description: 'One project with its valid statuses, points, roles, sprints and members.',
  input: v.strictObject({ project_id: ProjectRef }),
  output: v.object({ project: ProjectOutput, lookups: v.record(v.string(), v.unknown()) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ project_id }, { taiga, resolve }) {
    const id = await resolve.projectId(project_id);
    const [raw, meta] = await Promise.all([taiga.get<Record<string, unknown>>(`/projects/${id}`), resolve.project(id)]);
    return { project: leanProject(raw) as v.InferOutput<typeof ProjectOutput>, lookups: projectLookups(meta) };
  },
  render: ({ project: p, lookups }) =>
    [`${p.id} ${p.slug} — ${p.name}${p.is_private ? ' (private)' : ''}`, p.description ? untrusted(p.description) : '', JSON.stringify(lookups)].filter(Boolean).join('\n'),
});
