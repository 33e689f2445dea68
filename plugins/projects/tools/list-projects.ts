import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { Page, PageSize, PagingOutput, UserRef } from '../../../core/schemas.js';
import { pagingText } from '../../../core/work-items/index.js';
import { leanProject, projectLine, ProjectOutput } from '../fields.js';

export const listProjects = defineTool({
  name: 'list_projects',
  title: 'List projects',
  description: 'Projects you (or member) belong to; all_visible: every project you can see.',
  input: v.strictObject({
    member: v.optional(UserRef),
    all_visible: v.optional(v.boolean(), false),
    page: Page,
    page_size: PageSize,
  }),
  output: v.object({ items: v.array(ProjectOutput), ...PagingOutput }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ member, all_visible, page, page_size }, { taiga, session }) {
    let memberId: number | undefined;
    if (!all_visible) {
      if (member === undefined || (typeof member === 'string' && member.toLowerCase() === 'me')) memberId = session.userId;
      else if (typeof member === 'number') memberId = member;
      else memberId = (await taiga.get<{ id: number }>('/users/by_username', { username: member })).id;
    }
    const result = await taiga.page<Record<string, unknown>>('/projects', { member: memberId, order_by: 'user_order' }, { page, pageSize: page_size });
    return { items: result.items.map(leanProject) as v.InferOutput<typeof ProjectOutput>[], page: result.page, page_size: result.pageSize, total: result.total, has_next: result.hasNext };
  },
  render: (r) => [...r.items.map(projectLine), pagingText(r)].join('\n'),
});
