import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { EMPTY_LIST_TEXT, Page, PageSize, pageFields, PagingOutput, ProjectRef, UserRef } from '../../../core/schemas.js';
import { READ } from '../../../core/work-items/index.js';
import { EventOutput, eventLine, Moment, readTimeline } from '../timeline.js';

const DAY = 86_400_000;

/** A user without a project: "me", an id, or a username Taiga knows. */
async function userAnywhere(ctx: ToolContext, value: number | string): Promise<number> {
  if (typeof value === 'number') return value;
  const name = value.trim();
  if (name.toLowerCase() === 'me') return ctx.session.userId;
  if (/^\d{1,12}$/.test(name)) return Number(name);
  try {
    const user = await ctx.taiga.get<Record<string, unknown>>('/users/by_username', { username: name });
    return user['id'] as number;
  } catch (err) {
    if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') {
      throw new TaigaMcpError('INVALID_INPUT', { message: 'user: no Taiga user has this username.', details: { fields: { user: 'unknown username' } } });
    }
    throw err;
  }
}

export const getTimeline = defineTool({
  name: 'get_timeline',
  title: 'Timeline',
  description: 'Who did what since a date (default 24 h ago), newest first, in a project and/or by a user.',
  input: v.strictObject({
    project_id: v.optional(ProjectRef),
    user: v.optional(UserRef),
    since: v.optional(Moment),
    page: Page,
    page_size: PageSize,
  }),
  output: v.object({ events: v.array(EventOutput), ...PagingOutput, more_before: v.optional(v.string()) }),
  annotations: READ,
  async handler({ project_id, user, since, page, page_size }, ctx) {
    if (project_id === undefined && user === undefined) {
      throw new TaigaMcpError('INVALID_INPUT', { message: 'Give project_id, user, or both.', details: { fields: { project_id: 'project_id or user is required' } } });
    }
    const from = since ?? new Date(Date.now() - DAY).toISOString();
    const project = project_id === undefined ? undefined : await ctx.resolve.projectId(project_id);
    const actor = user === undefined ? undefined : project === undefined ? await userAnywhere(ctx, user) : await ctx.resolve.user(project, user, 'user');
    // With a project, its timeline (filtered to the user when one is named); without, the user's own.
    const path = project !== undefined ? `/timeline/project/${project}` : `/timeline/user/${actor!}`;
    const result = await readTimeline(ctx, { path, since: from, actor: project !== undefined ? actor : undefined, page, pageSize: page_size, withProject: project === undefined });
    return {
      events: result.events,
      // Stopped before `since` with nothing kept is not complete: it keeps its page and says where it stopped.
      ...(result.moreBefore === undefined ? pageFields({ page, pageSize: page_size, total: result.total, hasNext: result.hasNext }) : { page, page_size, total: result.total, has_next: result.hasNext, more_before: result.moreBefore }),
    };
  },
  render: (r) => [
    ...r.events.map(eventLine),
    r.page === undefined ? EMPTY_LIST_TEXT : `(page ${r.page}: ${r.events.length} of ${r.total ?? '?'}${r.has_next ? `; next: page ${r.page + 1}` : '; last page'}${r.more_before ? `; stopped at ${r.more_before}: older events not read` : ''})`,
  ].join('\n'),
});
