import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { IdOrName, ProjectRef } from '../../../core/schemas.js';
import { IDEMPOTENT_WRITE, loadItem } from '../../../core/work-items/index.js';
import { quote } from '../../../core/render/untrusted.js';
import { COMMENTABLE, itemName } from '../../item-targets.js';
import { loadSprint } from '../../sprints/sprint-access.js';

type Raw = Record<string, unknown>;
const WatchKind = v.picklist(['user_story', 'task', 'issue', 'epic', 'wiki_page', 'sprint']);
const Input = v.strictObject({ kind: WatchKind, item_id: IdOrName, project_id: v.optional(ProjectRef) });
const Output = v.object({ status: v.picklist(['watching', 'not_watching']), item: v.string() });

async function toggle(ctx: ToolContext, args: v.InferOutput<typeof Input>, action: 'watch' | 'unwatch'): Promise<v.InferOutput<typeof Output>> {
  let item: Raw;
  let endpoint: string;
  if (args.kind === 'sprint') {
    item = await loadSprint(ctx, args.item_id, args.project_id, 'item_id');
    endpoint = '/milestones';
  } else {
    const target = COMMENTABLE[args.kind]!;
    item = await loadItem(ctx, target, args.item_id, args.project_id, 'item_id');
    endpoint = target.endpoint;
  }
  await ctx.taiga.post(`${endpoint}/${String(item['id'])}/${action}`, {});
  const name = args.kind === 'sprint' ? `sprint ${String(item['name'])}` : itemName(args.kind, item);
  return { status: action === 'watch' ? 'watching' : 'not_watching', item: name };
}

export const watch = defineTool({
  name: 'watch',
  title: 'Watch an item',
  description: 'Get Taiga notifications about an item (story, task, issue, epic, wiki page or sprint).',
  input: Input,
  output: Output,
  annotations: IDEMPOTENT_WRITE,
  handler: (args, ctx) => toggle(ctx, args, 'watch'),
  render: (r) => `Watching ${quote(r.item)}.`,
});

export const unwatch = defineTool({
  name: 'unwatch',
  title: 'Stop watching an item',
  description: 'Stop Taiga notifications about an item.',
  input: Input,
  output: Output,
  annotations: IDEMPOTENT_WRITE,
  handler: (args, ctx) => toggle(ctx, args, 'unwatch'),
  render: (r) => `No longer watching ${quote(r.item)}.`,
});
