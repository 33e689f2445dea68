import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { Id, IdOrName, NullableIdOrName, NullableUserRef, Page, PageSize, PagingOutput, ProjectRef, Tags } from '../../../core/schemas.js';
import { leanStory, StoryOutput, storyLine } from '../fields.js';

export const listUserStories = defineTool({
  name: 'list_user_stories',
  title: 'List user stories',
  description: 'User stories of a project, filtered by status, assignee, sprint, epic, tags or closed state. Paged: see has_next.',
  input: v.strictObject({
    project_id: ProjectRef,
    status: v.optional(IdOrName('Status name or id.')),
    assigned_to: v.optional(NullableUserRef),
    sprint: v.optional(NullableIdOrName('Sprint name or id; null = backlog.')),
    epic: v.optional(v.pipe(v.union([Id, v.pipe(v.string(), v.maxLength(13), v.regex(/^#\d{1,12}$/, 'expected "#ref"'))]), v.description('Epic id or "#ref".'))),
    tags: v.optional(Tags),
    closed: v.optional(v.boolean()),
    search: v.optional(v.pipe(v.string(), v.maxLength(200))),
    page: Page,
    page_size: PageSize,
  }),
  output: v.object({ items: v.array(StoryOutput), ...PagingOutput }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { taiga, resolve }) {
    const project = await resolve.projectId(args.project_id);
    const query: Record<string, string | number | boolean | undefined> = { project };
    if (args.status !== undefined) query['status'] = await resolve.choice(project, 'us_status', args.status, 'status');
    if (args.assigned_to !== undefined) query['assigned_to'] = args.assigned_to === null ? 'null' : await resolve.user(project, args.assigned_to, 'assigned_to');
    if (args.sprint === null) query['milestone__isnull'] = true;
    else if (args.sprint !== undefined) query['milestone'] = await resolve.sprint(project, args.sprint);
    if (args.epic !== undefined) query['epic'] = await epicId(taiga, project, args.epic);
    if (args.tags?.length) query['tags'] = args.tags.join(',');
    if (args.closed !== undefined) query['is_closed'] = args.closed;
    if (args.search) query['q'] = args.search;
    const result = await taiga.page<Record<string, unknown>>('/userstories', query, { page: args.page, pageSize: args.page_size });
    return { items: result.items.map(leanStory), page: result.page, page_size: result.pageSize, total: result.total, has_next: result.hasNext };
  },
  render: (r) => [...r.items.map(storyLine), `page ${r.page}, ${r.items.length} of ${r.total ?? '?'}${r.has_next ? '; more on the next page' : ''}`].join('\n'),
});

async function epicId(taiga: { get<T>(path: string, q?: Record<string, string | number>): Promise<T> }, project: number, epic: number | string): Promise<number> {
  if (typeof epic === 'string' && epic.trim().startsWith('#')) {
    return (await taiga.get<{ id: number }>('/epics/by_ref', { ref: Number(epic.trim().slice(1)), project })).id;
  }
  return Number(epic);
}
