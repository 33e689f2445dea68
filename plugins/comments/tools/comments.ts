import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { Comment, Page, PageSize, pageFields, PagingOutput } from '../../../core/schemas.js';
import { block, word } from '../../../core/render/untrusted.js';
import { DESTRUCTIVE, IDEMPOTENT_WRITE, itemLabel, pagingText, READ, WRITE, writeItem } from '../../../core/work-items/index.js';
import { quoteShort } from '../../../core/confirm/question.js';
import { ItemEntries, itemName, loadTarget } from '../../item-targets.js';
import { entryHead } from '../entry.js';
import { checkMentions } from '../../../core/resolve/mentions.js';

type Raw = Record<string, unknown>;

const CommentOutput = v.object({ id: v.string(), user: v.optional(v.string()), date: v.string(), text: v.optional(v.string()), edited: v.optional(v.string()), deleted: v.optional(v.boolean()) });
type LeanComment = v.InferOutput<typeof CommentOutput>;

const leanComment = (e: Raw): LeanComment => {
  const deleted = e['delete_comment_date'] !== null && e['delete_comment_date'] !== undefined;
  return {
    ...entryHead(e),
    // A deleted comment keeps its text in Taiga; it is not shown again here.
    ...(!deleted && { text: String(e['comment'] ?? '') }),
    ...(typeof e['edit_comment_date'] === 'string' && { edited: e['edit_comment_date'] }),
    ...(deleted && { deleted: true }),
  };
};

const commentText = (c: LeanComment): string =>
  `comment ${c.id} ${c.user ? `@${word(c.user)} ` : ''}${c.date}${c.edited ? ` edited:${c.edited}` : ''}${c.deleted ? ' deleted' : `\n${block(c.text ?? '')}`}`;

export const listComments = defineTool({
  name: 'list_comments',
  title: 'List comments',
  description: 'Comments on an item, newest first.',
  input: v.strictObject({ ...ItemEntries, page: Page, page_size: PageSize }),
  output: v.object({ items: v.array(CommentOutput), ...PagingOutput }),
  annotations: READ,
  async handler({ page, page_size, ...args }, ctx) {
    const { history } = await loadTarget(ctx, args);
    const result = await ctx.taiga.page<Raw>(history, { type: 'comment' }, { page, pageSize: page_size });
    return { items: result.items.map(leanComment), ...pageFields(result) };
  },
  render: (r) => [...r.items.map(commentText), pagingText(r)].join('\n'),
});

export const addComment = defineTool({
  name: 'add_comment',
  title: 'Add comment',
  description: 'Comment on an item; never fails on version.',
  input: v.strictObject({ ...ItemEntries, comment: Comment }),
  output: v.object({ comment_id: v.optional(v.string()), item: v.string(), version: v.number() }),
  annotations: WRITE,
  async handler(args, ctx) {
    const { target, item, history } = await loadTarget(ctx, args);
    const saved = await writeItem(ctx, target, { value: item['id'] as number }, async () => ({ comment: await checkMentions(ctx, item['project'] as number, args.comment, 'comment') }));
    const newest = await ctx.taiga.page<Raw>(history, { type: 'comment' }, { page: 1, pageSize: 1 }).catch(() => undefined);
    const id = newest?.items[0]?.['id'];
    return { ...(typeof id === 'string' && { comment_id: id }), item: itemName(args.kind, saved), version: saved['version'] as number };
  },
  render: (r) => `Commented on ${r.item} (now v${r.version})${r.comment_id ? `; comment ${r.comment_id}` : ''}.`,
});

/** Taiga's comment actions answer 200 with nothing, an empty 404 for an unknown id, 403 for someone else's comment. */
async function commentAction(ctx: Parameters<typeof loadTarget>[0], history: string, action: string, id: string, body?: Raw): Promise<void> {
  try {
    await ctx.taiga.request({ method: 'POST', path: `${history}/${action}`, query: { id }, body: body ?? {} });
  } catch (err) {
    if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') throw new TaigaMcpError('NOT_FOUND', { message: `No comment ${id.slice(0, 40)} on that item.`, hint: 'list_comments gives the comment ids.' });
    if (err instanceof TaigaMcpError && err.code === 'PERMISSION_DENIED') throw new TaigaMcpError('PERMISSION_DENIED', { message: 'Only the author of a comment or a project admin may change it.' });
    throw err;
  }
}

const CommentId = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64));

export const editComment = defineTool({
  name: 'edit_comment',
  title: 'Edit comment',
  description: 'Replace the text of a comment (its author or a project admin).',
  input: v.strictObject({ ...ItemEntries, comment_id: CommentId, comment: Comment }),
  output: v.object({ status: v.literal('edited'), comment_id: v.string() }),
  annotations: IDEMPOTENT_WRITE,
  async handler(args, ctx) {
    const { history, item } = await loadTarget(ctx, args);
    await commentAction(ctx, history, 'edit_comment', args.comment_id, { comment: await checkMentions(ctx, item['project'] as number, args.comment, 'comment') });
    return { status: 'edited' as const, comment_id: args.comment_id };
  },
  render: (r) => `Edited comment ${r.comment_id}.`,
});

export const deleteComment = defineTool({
  name: 'delete_comment',
  title: 'Delete comment',
  description: 'Delete a comment (its author or a project admin).',
  input: v.strictObject({ ...ItemEntries, comment_id: CommentId }),
  output: v.object({ status: v.literal('deleted'), comment_id: v.string() }),
  annotations: DESTRUCTIVE,
  confirmation: 'handler',
  async handler(args, ctx) {
    const { history, item } = await loadTarget(ctx, args);
    const { slug } = await ctx.resolve.project(item['project'] as number);
    await ctx.confirm({ message: `Delete comment ${quoteShort(args.comment_id, 64)} on ${args.kind.replace('_', ' ')} ${itemLabel(item)} in ${slug}?`, version: [item['id'], args.comment_id] });
    await commentAction(ctx, history, 'delete_comment', args.comment_id);
    return { status: 'deleted' as const, comment_id: args.comment_id };
  },
  render: (r) => `Deleted comment ${r.comment_id}.`,
});

