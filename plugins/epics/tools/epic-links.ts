import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { IdOrName, Page, PageSize, pageFields, PagingOutput, ProjectRef } from '../../../core/schemas.js';
import { DESTRUCTIVE, IDEMPOTENT_WRITE, READ, itemLabel, itemSchema, itemsTable, leanItem, loadItem, pagingText, USER_STORY_TARGET } from '../../../core/work-items/index.js';
import { STORY_ROWS, USER_STORY } from '../../user-stories/kind.js';
import { EPIC } from '../kind.js';

type Raw = Record<string, unknown>;
const Ref = v.object({ id: v.number(), ref: v.number() });
const LinkTarget = { epic_id: IdOrName, user_story_id: IdOrName, project_id: v.optional(ProjectRef) };
const refOf = (raw: Raw) => ({ id: raw['id'] as number, ref: raw['ref'] as number });

export const listEpicUserStories = defineTool({
  name: 'list_epic_user_stories',
  title: 'List user stories of an epic',
  description: 'The user stories linked to an epic (from any project).',
  input: v.strictObject({ epic_id: IdOrName, project_id: v.optional(ProjectRef), page: Page, page_size: PageSize }),
  output: v.object({ epic: Ref, items: v.array(itemSchema(STORY_ROWS)), ...PagingOutput }),
  annotations: READ,
  async handler({ epic_id, project_id, page, page_size }, ctx) {
    const epic = await loadItem(ctx, EPIC, epic_id, project_id);
    const result = await ctx.taiga.page<Raw>('/userstories', { epic: epic['id'] as number }, { page, pageSize: page_size });
    const metas = new Map(await Promise.all([...new Set(result.items.map((s) => s['project'] as number))].map(async (p) => [p, await ctx.resolve.project(p)] as const)));
    const items = result.items.map((s) => leanItem(USER_STORY, s, metas.get(s['project'] as number)!, STORY_ROWS));
    return { epic: refOf(epic), items, ...pageFields(result) };
  },
  render: (r) => [`epic #${r.epic.ref}:`, itemsTable(r.items, STORY_ROWS), pagingText(r)].filter(Boolean).join('\n'),
});

async function linkEnds(ctx: ToolContext, args: { epic_id: number | string; user_story_id: number | string; project_id?: number | string | undefined }) {
  const epic = await loadItem(ctx, EPIC, args.epic_id, args.project_id, 'epic_id');
  // A story of another project may be linked (Taiga allows it); a "#ref" is looked up in the epic's project.
  const story = await loadItem(ctx, USER_STORY_TARGET, args.user_story_id, typeof args.user_story_id === 'string' && args.user_story_id.trim().startsWith('#') ? (epic['project'] as number) : undefined, 'user_story_id');
  return { epic, story, path: `/epics/${String(epic['id'])}/related_userstories` };
}

async function linked(ctx: ToolContext, path: string, storyId: unknown): Promise<boolean> {
  try {
    await ctx.taiga.get(`${path}/${String(storyId)}`);
    return true;
  } catch (err) {
    if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') return false;
    throw err;
  }
}

const LinkOutput = v.object({ status: v.picklist(['linked', 'already_linked', 'unlinked']), epic: Ref, user_story: Ref });

export const addUserStoryToEpic = defineTool({
  name: 'add_user_story_to_epic',
  title: 'Add user story to epic',
  description: 'Link a user story to an epic; linking twice changes nothing.',
  input: v.strictObject(LinkTarget),
  output: LinkOutput,
  annotations: IDEMPOTENT_WRITE,
  async handler(args, ctx) {
    const { epic, story, path } = await linkEnds(ctx, args);
    if (await linked(ctx, path, story['id'])) return { status: 'already_linked' as const, epic: refOf(epic), user_story: refOf(story) };
    await ctx.taiga.post(path, { epic: epic['id'], user_story: story['id'] });
    return { status: 'linked' as const, epic: refOf(epic), user_story: refOf(story) };
  },
  render: (r) => `${r.status === 'linked' ? 'Linked' : 'Already linked:'} user story #${r.user_story.ref} to epic #${r.epic.ref}.`,
});

export const removeUserStoryFromEpic = defineTool({
  name: 'remove_user_story_from_epic',
  title: 'Remove user story from epic',
  description: 'Unlink a user story from an epic (the story stays).',
  input: v.strictObject(LinkTarget),
  output: LinkOutput,
  annotations: DESTRUCTIVE,
  confirmation: 'handler',
  async handler(args, ctx) {
    const { epic, story, path } = await linkEnds(ctx, args);
    await ctx.confirm({ message: `Unlink user story ${itemLabel(story)} from epic ${itemLabel(epic)} (the story stays)?`, version: [epic['id'], story['id']] });
    try {
      await ctx.taiga.delete(`${path}/${String(story['id'])}`);
    } catch (err) {
      if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') throw new TaigaMcpError('NOT_FOUND', { message: `User story #${String(story['ref'])} is not linked to epic #${String(epic['ref'])}.` });
      throw err;
    }
    return { status: 'unlinked' as const, epic: refOf(epic), user_story: refOf(story) };
  },
  render: (r) => `Unlinked user story #${r.user_story.ref} from epic #${r.epic.ref}.`,
});
