import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { ProjectRef } from '../../../core/schemas.js';

export const deleteProject = defineTool({
  name: 'delete_project',
  title: 'Delete project',
  description: 'Delete a project and everything in it. Irreversible.',
  input: v.strictObject({ project_id: ProjectRef }),
  output: v.object({ status: v.literal('deleted'), id: v.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ project_id }, { taiga, resolve }) {
    const id = await resolve.projectId(project_id);
    await taiga.delete(`/projects/${id}`);
    resolve.invalidate(id);
    return { status: 'deleted' as const, id };
  },
  render: (r) => `Deleted project ${r.id}.`,
});
