import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { IdOrName, NullableIdOrName, ProjectRef } from '../../../core/schemas.js';
import { forgetShown, IDEMPOTENT_WRITE, loadItem } from '../../../core/work-items/index.js';
import { quote } from '../../../core/render/untrusted.js';
import { quoteShort } from '../../../core/confirm/question.js';
import { USER_STORY } from '../../user-stories/kind.js';
import { storiesLabel, storyIds } from '../sprint-access.js';

type Raw = Record<string, unknown>;

/** Where the stories are ordered: the backlog or a sprint (milestone null or id), or a kanban cell (status and swimlane). */
type Cell = { milestone: number | null } | { status: number; swimlane: number | null };

const refused = (field: string, message: string): TaigaMcpError =>
  new TaigaMcpError('INVALID_INPUT', { message: `${message} Nothing was written.`, details: { fields: { [field]: message } } });

const inCell = (cell: Cell, s: Raw): boolean =>
  'milestone' in cell ? (s['milestone'] ?? null) === cell.milestone : s['status'] === cell.status && (s['swimlane'] ?? null) === cell.swimlane;

/** The cell from the arguments, else from the anchor; a kanban cell's swimlane is the anchor's, else the stories' own. */
async function cellOf(ctx: ToolContext, project: number, args: { sprint?: number | string | null; status?: number | string }, anchor: Raw | undefined, stories: Raw[]): Promise<Cell> {
  if (args.status !== undefined) {
    if (args.sprint !== undefined) throw refused('status', 'Give sprint (a sprint, or null for the backlog) or status (a kanban column), not both.');
    const status = await ctx.resolve.choice(project, 'us_status', args.status, 'status');
    if (anchor) return { status, swimlane: (anchor['swimlane'] as number | null) ?? null };
    const lanes = new Set(stories.map((s) => (s['swimlane'] as number | null) ?? null));
    // Taiga puts every moved story in one swimlane: the one they share, or the caller names an anchor in the right one.
    if (lanes.size > 1) throw refused('before', 'These stories are in different swimlanes; give before or after a story of the swimlane they go to.');
    return { status, swimlane: [...lanes][0] ?? null };
  }
  if (args.sprint !== undefined) return { milestone: args.sprint === null ? null : await ctx.resolve.sprint(project, args.sprint, 'sprint') };
  if (anchor) return { milestone: (anchor['milestone'] as number | null) ?? null };
  throw refused('sprint', 'Say where: sprint (a sprint, or null for the backlog), status (a kanban column), or before/after a story.');
}

/** Where, by name: what the answer says (`backlog`, `sprint` or `status`). */
type Place = { backlog: true } | { sprint: string } | { status: string };

function placeOf(cell: Cell, names: { sprint?: string; status?: string }): Place {
  if ('status' in cell) return { status: names.status ?? String(cell.status) };
  return cell.milestone === null ? { backlog: true } : { sprint: names.sprint ?? String(cell.milestone) };
}

/** For the question (quoteShort) or the answer's text (quote). */
const placeText = (p: Partial<Record<'backlog' | 'sprint' | 'status', unknown>>, q: (s: string) => string): string =>
  p.backlog ? 'the backlog' : p.sprint !== undefined ? `sprint ${q(String(p.sprint))}` : `status ${q(String(p.status))}`;

export const reorderUserStories = defineTool({
  name: 'reorder_user_stories',
  title: 'Reorder user stories',
  description: 'Order stories as listed, before/after a story or on top, in the backlog, a sprint or a kanban status.',
  input: v.strictObject({
    project_id: ProjectRef,
    user_story_ids: v.pipe(v.array(IdOrName), v.minLength(1), v.maxLength(100)),
    before: v.optional(IdOrName),
    after: v.optional(IdOrName),
    sprint: v.optional(NullableIdOrName),
    status: v.optional(IdOrName),
  }),
  output: v.object({
    moved: v.array(v.number()), backlog: v.optional(v.literal(true)), sprint: v.optional(v.string()), status: v.optional(v.string()),
    before: v.optional(v.number()), after: v.optional(v.number()),
  }),
  annotations: IDEMPOTENT_WRITE,
  confirmation: 'handler',
  async handler({ project_id, user_story_ids, before, after, sprint, status }, ctx) {
    if (before !== undefined && after !== undefined) throw refused('after', 'Give before or after, not both.');
    const project = await ctx.resolve.projectId(project_id);
    const stories: Raw[] = [];
    for (const [i, ref] of user_story_ids.entries()) stories.push(await loadItem(ctx, USER_STORY, ref, project, `user_story_ids.${i}`));
    const ids = stories.map((s) => s['id'] as number);
    if (new Set(ids).size !== ids.length) throw refused('user_story_ids', 'A story is named twice.');
    const anchorField = before !== undefined ? 'before' : 'after';
    const anchorRef = before ?? after;
    const anchor = anchorRef === undefined ? undefined : await loadItem(ctx, USER_STORY, anchorRef, project, anchorField);
    if (anchor && ids.includes(anchor['id'] as number)) throw refused(anchorField, `#${String(anchor['ref'])} is one of the stories being moved.`);
    const cell = await cellOf(ctx, project, { sprint, status }, anchor, stories);
    const meta = await ctx.resolve.project(project);
    const place = placeOf(cell, {
      sprint: 'milestone' in cell && cell.milestone !== null ? meta.sprints.find((s) => s.id === cell.milestone)?.name : undefined,
      status: 'status' in cell ? meta.choices.us_status.find((c) => c.id === cell.status)?.name : undefined,
    });
    const where = placeText(place, quoteShort);
    if (anchor && !inCell(cell, anchor)) throw refused(anchorField, `#${String(anchor['ref'])} is not in ${where}.`);
    const position = anchor ? `${anchorField} #${String(anchor['ref'])}` : 'at the top';
    await ctx.confirm({ message: `Put ${storiesLabel(stories)} of ${meta.slug} in ${where}, ${position}?`, version: [storyIds(stories), anchor?.['id'] ?? null, cell], items: stories.length });
    // Taiga's order has no version: the place is given relative to the anchor, and Taiga numbers it
    // from the anchor's order at the moment of the write, so a reorder made meanwhile is not undone.
    const at = anchor ? { [`${anchorField}_userstory_id`]: anchor['id'] } : {};
    if ('status' in cell) {
      await ctx.taiga.post('/userstories/bulk_update_kanban_order', { project_id: project, status_id: cell.status, ...(cell.swimlane !== null && { swimlane_id: cell.swimlane }), ...at, bulk_userstories: ids });
    } else {
      await ctx.taiga.post('/userstories/bulk_update_backlog_order', { project_id: project, ...(cell.milestone !== null && { milestone_id: cell.milestone }), ...at, bulk_userstories: ids });
    }
    for (const id of ids) forgetShown(ctx, USER_STORY, id);
    ctx.audit.object = `user_stories:${ids.join(',')}`;
    return { moved: stories.map((s) => s['ref'] as number), ...place, ...(anchor && { [anchorField]: anchor['ref'] as number }) };
  },
  render: (r) => `Put ${r.moved.map((ref) => `#${ref}`).join(', ')} in ${placeText(r, quote)}${r.before !== undefined ? `, before #${r.before}` : r.after !== undefined ? `, after #${r.after}` : ', at the top'}.`,
});

