import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { ProjectRef } from '../../../core/schemas.js';
import { block, json } from '../../../core/render/untrusted.js';
import { leanProject, projectLine, projectLookups, ProjectOutput } from '../fields.js';

export const getProject = defineTool({
  name: 'get_project',
  title: 'Get project',
  description: 'One project with the valid names of its statuses, types, priorities, severities, points, roles, sprints, members and tag colours.',
  input: v.strictObject({ project_id: ProjectRef }),
  output: v.object({ project: ProjectOutput, lookups: v.record(v.string(), v.unknown()) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ project_id }, { resolve }) {
    const id = await resolve.projectId(project_id);
    const { raw, meta } = await resolve.projectDetail(id);
    return { project: leanProject(raw) as v.InferOutput<typeof ProjectOutput>, lookups: projectLookups(meta, raw['tags_colors']) };
  },
  render: ({ project: p, lookups }) =>
    [projectLine(p), p.description ? `description:\n${block(p.description)}` : '', `lookups: ${json(lookups)}`].filter(Boolean).join('\n'),
});
