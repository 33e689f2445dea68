import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { Id, Text } from '../../../core/schemas.js';
import { quote } from '../../../core/render/untrusted.js';
import { quoteShort } from '../../../core/confirm/question.js';
import { DESTRUCTIVE, READ, WRITE } from '../../../core/work-items/index.js';
import { COMMENTABLE, ItemEntries, Kind, loadTarget, type KindName } from '../../item-targets.js';
import { LOCAL_PRINCIPAL } from '../../../core/principal.js';
import { MimeType } from '../file-types.js';
import type { AttachmentOptions } from '../options.js';
import { refuse } from '../refuse.js';
import { fileSource, inlineSource, type UploadSource } from '../upload-source.js';
import { multipart } from '../multipart.js';
import { scanned } from '../scan.js';

type Raw = Record<string, unknown>;

export const AttachmentOutput = v.object({ id: v.number(), name: v.string(), size: v.number(), description: v.optional(v.string()), created: v.optional(v.string()), deprecated: v.optional(v.boolean()) });
type Attachment = v.InferOutput<typeof AttachmentOutput>;

export const leanAttachment = (a: Raw): Attachment => ({
  id: a['id'] as number, name: String(a['name']), size: Number(a['size'] ?? 0),
  ...(typeof a['description'] === 'string' && a['description'] !== '' && { description: a['description'] }),
  ...(typeof a['created_date'] === 'string' && { created: a['created_date'] }),
  ...(a['is_deprecated'] === true && { deprecated: true }),
});

export const attachmentText = (a: Attachment): string => `attachment id=${a.id} ${quote(a.name)} ${a.size} bytes${a.deprecated ? ' deprecated' : ''}${a.description ? ` ${quote(a.description)}` : ''}`;
export const attachmentsOf = (kind: KindName): string => `${COMMENTABLE[kind]!.endpoint}/attachments`;

/**
 * Attachments have no name to resolve: an id, or its digits as a string. Anything else would be
 * pasted into the request path (`1/../..`, a NUL), so it is refused here, as the bad input it is.
 */
export const AttachmentId = v.union([Id, v.pipe(v.string(), v.maxLength(16), v.trim(), v.regex(/^[1-9]\d{0,9}$/, 'expected an attachment id (a number)'), v.transform(Number), v.maxValue(2_147_483_647))]);
const options = (ctx: ToolContext) => ctx.options as AttachmentOptions;

export const listAttachments = defineTool({
  name: 'list_attachments',
  title: 'List attachments',
  description: 'Files attached to an item.',
  input: v.strictObject(ItemEntries),
  output: v.object({ items: v.array(AttachmentOutput), total: v.number() }),
  annotations: READ,
  async handler(args, ctx) {
    const { item } = await loadTarget(ctx, args);
    const { items, total } = await ctx.taiga.all<Raw>(attachmentsOf(args.kind), { object_id: item['id'] as number, project: item['project'] as number });
    return { items: items.map(leanAttachment), total };
  },
  render: (r) => [...r.items.map(attachmentText), `(${r.total} attachments)`].join('\n'),
});

export const uploadAttachment = defineTool({
  name: 'upload_attachment',
  title: 'Upload attachment',
  description: 'Attach a file: path (under an allowed folder) or content_base64 with filename.',
  input: v.strictObject({
    ...ItemEntries,
    path: v.optional(Text(4096)),
    content_base64: v.optional(Text(200 * 1024 * 1024)),
    filename: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255))),
    content_type: v.optional(MimeType),
    description: v.optional(Text(2000)),
  }),
  output: AttachmentOutput,
  annotations: WRITE,
  async handler(args, ctx) {
    if ((args.path === undefined) === (args.content_base64 === undefined)) throw new TaigaMcpError('INVALID_INPUT', { message: 'Give either path or content_base64 (with filename).', details: { fields: { path: 'give path or content_base64' } } });
    if (args.content_base64 !== undefined && args.filename === undefined) throw new TaigaMcpError('INVALID_INPUT', { message: 'content_base64 needs a filename.', details: { fields: { filename: 'required with content_base64' } } });
    // The file is checked (place, size, type) and scanned before anything is asked of Taiga.
    let source = await sourceOf(args, ctx);
    try {
      const scan = options(ctx).scan;
      if (scan) source = await scanned(source, scan, ctx);
      const { item } = await loadTarget(ctx, args);
      const fields = { object_id: String(item['id']), project: String(item['project']), ...(args.description !== undefined && { description: args.description }) };
      return leanAttachment(await ctx.taiga.upload<Raw>(attachmentsOf(args.kind), multipart(fields, 'attached_file', source)));
    } finally {
      await source.close();
    }
  },
  render: (a) => `Uploaded ${attachmentText(a)}`,
});

/** The stdio caller: the one local user, whose disk `path` names. Over HTTP the path would name the server's disk, not the caller's. */
function overStdio(ctx: ToolContext): boolean {
  return ctx.service<string>('principal') === LOCAL_PRINCIPAL && ctx.service<string>('source') === 'stdio';
}

async function sourceOf(args: { path?: string; content_base64?: string; filename?: string; content_type?: string }, ctx: ToolContext): Promise<UploadSource> {
  const opts = options(ctx);
  if (args.path === undefined) return inlineSource(args.content_base64!, args.filename!, args.content_type, opts);
  if (!overStdio(ctx) && !opts.pathUploadsOverHttp) throw refuse('path', 'uploads from a path are a local (stdio) feature, off over HTTP unless an operator sets plugins.options.attachments.pathUploadsOverHttp: send content_base64 with filename');
  return fileSource(args.path, args.content_type, opts);
}

export const deleteAttachment = defineTool({
  name: 'delete_attachment',
  title: 'Delete attachment',
  description: 'Delete a file attached to an item.',
  input: v.strictObject({ kind: Kind, attachment_id: AttachmentId }),
  output: v.object({ status: v.literal('deleted'), id: v.number(), name: v.string() }),
  annotations: DESTRUCTIVE,
  confirmation: 'handler',
  async handler({ kind, attachment_id }, ctx) {
    const path = `${attachmentsOf(kind)}/${String(attachment_id)}`;
    const attachment = await ctx.taiga.get<Raw>(path);
    const { slug } = await ctx.resolve.project(attachment['project'] as number);
    await ctx.confirm({ message: `Delete the file ${quoteShort(String(attachment['name']))} (${Number(attachment['size'] ?? 0)} bytes) attached to ${kind.replace('_', ' ')} id ${String(attachment['object_id'])} in ${slug}?`, version: attachment['id'] });
    await ctx.taiga.delete(path);
    ctx.audit.project ??= attachment['project'] as number;
    return { status: 'deleted' as const, id: attachment['id'] as number, name: String(attachment['name']) };
  },
  render: (r) => `Deleted attachment id=${r.id} ${quote(r.name)}.`,
});
