import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { Tags } from '../../../core/schemas.js';
import { leanProject, projectLine, ProjectOutput } from '../fields.js';

export const createProject = defineTool({
  name: 'create_project',
  title: 'Create project',
  description: 'Create a project from the scrum template. Private unless visibility is "public".',
  input: v.strictObject({
    name: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(500)),
    // Taiga refuses a project without a description (blank included), so it is required here too.
    description: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(5000)),
    visibility: v.optional(v.picklist(['private', 'public']), 'private'),
    tags: v.optional(Tags),
  }),
  output: ProjectOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ name, description, visibility, tags }, { taiga }) {
    const created = await taiga.post<Record<string, unknown>>('/projects', { name, description, is_private: visibility === 'private', ...(tags && { tags }) });
    return leanProject(created) as v.InferOutput<typeof ProjectOutput>;
  },
  render: (p) => `Created ${projectLine(p)}`,
});
