import * as v from 'valibot';
import type { ToolContext } from '../core/plugin/types.js';
import { IdOrName, ProjectRef } from '../core/schemas.js';
import { loadItem, type VersionedTarget } from '../core/work-items/index.js';
import { USER_STORY } from './user-stories/kind.js';
import { TASK } from './tasks/kind.js';
import { ISSUE } from './issues/kind.js';
import { EPIC } from './epics/kind.js';
import { WIKI_PAGE } from './wiki/wiki-access.js';

type Raw = Record<string, unknown>;

/** What can carry comments, history and attachments in Taiga (taiga-api.md §9.13, §9.14). */
export const COMMENTABLE: Readonly<Record<string, VersionedTarget>> = { user_story: USER_STORY, task: TASK, issue: ISSUE, epic: EPIC, wiki_page: WIKI_PAGE };
export const Kind = v.picklist(['user_story', 'task', 'issue', 'epic', 'wiki_page']);
export type KindName = v.InferOutput<typeof Kind>;

/** Names one commentable item: `kind`, then its id, "#ref" (or a wiki slug) with project_id. */
export const ItemEntries = { kind: Kind, item_id: IdOrName, project_id: v.optional(ProjectRef) };

export async function loadTarget(ctx: ToolContext, args: { kind: KindName; item_id: number | string; project_id?: number | string | undefined }): Promise<{ target: VersionedTarget; item: Raw; history: string }> {
  const target = COMMENTABLE[args.kind]!;
  const item = await loadItem(ctx, target, args.item_id, args.project_id, 'item_id');
  return { target, item, history: `/history/${target.historyType}/${String(item['id'])}` };
}

/** "task #12" / "wiki page home": how a text line names the item. */
export const itemName = (kind: KindName, item: Raw): string => (item['ref'] !== undefined ? `${kind} #${String(item['ref'])}` : `${kind} ${String(item['slug'] ?? item['id'])}`);
