import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { ProjectRef, Tags } from '../../../core/schemas.js';
import { leanProject, projectLine, ProjectOutput } from '../fields.js';

export const updateProject = defineTool({
  name: 'update_project',
  title: 'Update project',
  description: 'Change a project (no version: last write wins).',
  input: v.strictObject({
    project_id: ProjectRef,
    name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(500))),
    description: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty (Taiga requires one)'), v.maxLength(5000))),
    visibility: v.optional(v.picklist(['private', 'public'])),
    tags: v.optional(Tags),
    modules: v.optional(
      v.strictObject({
        backlog: v.optional(v.boolean()),
        kanban: v.optional(v.boolean()),
        wiki: v.optional(v.boolean()),
        issues: v.optional(v.boolean()),
        epics: v.optional(v.boolean()),
      }),
    ),
  }),
  output: ProjectOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ project_id, visibility, modules, ...rest }, { taiga, resolve }) {
    const id = await resolve.projectId(project_id);
    const body: Record<string, unknown> = { ...rest };
    if (visibility) body['is_private'] = visibility === 'private';
    for (const [module, on] of Object.entries(modules ?? {})) body[`is_${module}_activated`] = on;
    if (Object.keys(body).length === 0) throw new TaigaMcpError('INVALID_INPUT', { message: 'Nothing to change: give at least one field.' });
    const updated = await taiga.patch<Record<string, unknown>>(`/projects/${id}`, body);
    resolve.invalidate(id);
    return leanProject(updated) as v.InferOutput<typeof ProjectOutput>;
  },
  render: (p) => `Updated ${projectLine(p)}`,
});
