import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { IdOrName, ProjectRef } from '../../../core/schemas.js';
import { IDEMPOTENT_WRITE, loadItem } from '../../../core/work-items/index.js';
import { quote } from '../../../core/render/untrusted.js';
import { COMMENTABLE, itemName } from '../../item-targets.js';

const Input = v.strictObject({ kind: v.picklist(['user_story', 'task', 'issue', 'epic']), item_id: IdOrName, project_id: v.optional(ProjectRef) });
const Output = v.object({ status: v.picklist(['voted', 'not_voted']), item: v.string() });

async function cast(ctx: ToolContext, args: v.InferOutput<typeof Input>, action: 'upvote' | 'downvote'): Promise<v.InferOutput<typeof Output>> {
  const target = COMMENTABLE[args.kind]!;
  const item = await loadItem(ctx, target, args.item_id, args.project_id, 'item_id');
  await ctx.taiga.post(`${target.endpoint}/${String(item['id'])}/${action}`, {});
  return { status: action === 'upvote' ? 'voted' : 'not_voted', item: itemName(args.kind, item) };
}

export const vote = defineTool({
  name: 'vote',
  title: 'Vote for an item',
  description: 'Add your vote to a story, task, issue or epic.',
  input: Input,
  output: Output,
  annotations: IDEMPOTENT_WRITE,
  handler: (args, ctx) => cast(ctx, args, 'upvote'),
  render: (r) => `Voted for ${quote(r.item)}.`,
});

export const unvote = defineTool({
  name: 'unvote',
  title: 'Remove your vote',
  description: 'Take your vote back.',
  input: Input,
  output: Output,
  annotations: IDEMPOTENT_WRITE,
  handler: (args, ctx) => cast(ctx, args, 'downvote'),
  render: (r) => `Vote removed from ${quote(r.item)}.`,
});
