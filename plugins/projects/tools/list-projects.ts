import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { Include, Page, PageSize, pageFields, PagingOutput, UserRef } from '../../../core/schemas.js';
import { pagingText } from '../../../core/work-items/index.js';
import { leanProject, projectLine, ProjectOutput } from '../fields.js';

/** What a listed project says (its line and its structure alike): description and dates are get_project's, tags come with include. */
const LIST_FIELDS = ['id', 'slug', 'name', 'is_private', 'owner', 'members_count', 'i_am_admin'];

export const listProjects = defineTool({
  name: 'list_projects',
  title: 'List projects',
  description: 'Projects you (or member) belong to; all_visible: every project you can see.',
  input: v.strictObject({
    member: v.optional(UserRef),
    all_visible: v.optional(v.boolean(), false),
    include: Include('tags'),
    page: Page,
    page_size: PageSize,
  }),
  output: v.object({ items: v.array(ProjectOutput), ...PagingOutput }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ member, all_visible, include, page, page_size }, { taiga, session }) {
    let memberId: number | undefined;
    if (!all_visible) {
      if (member === undefined || (typeof member === 'string' && member.toLowerCase() === 'me')) memberId = session.userId;
      else if (typeof member === 'number') memberId = member;
      else memberId = (await taiga.get<{ id: number }>('/users/by_username', { username: member })).id;
    }
    const result = await taiga.page<Record<string, unknown>>('/projects', { member: memberId, order_by: 'user_order' }, { page, pageSize: page_size });
    const fields = include?.includes('tags') ? [...LIST_FIELDS, 'tags'] : LIST_FIELDS;
    return { items: result.items.map((p) => leanProject(p, fields)) as v.InferOutput<typeof ProjectOutput>[], ...pageFields(result) };
  },
  render: (r) => [...r.items.map(projectLine), pagingText(r)].join('\n'),
});
