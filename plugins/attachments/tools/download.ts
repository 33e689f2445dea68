import * as v from 'valibot';
import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { quote } from '../../../core/render/untrusted.js';
import { READ } from '../../../core/work-items/index.js';
import { Kind } from '../../item-targets.js';
import type { Config } from '../../../core/config/schema.js';
import type { AttachmentOptions } from '../options.js';
import { allowedSource } from '../download-origin.js';
import { freshFile, reserveRoom } from '../download-folder.js';
import { AttachmentId, attachmentsOf } from './attachments.js';

type Raw = Record<string, unknown>;

export const downloadAttachment = defineTool({
  name: 'download_attachment',
  title: 'Download attachment',
  description: 'Fetch an attachment: small files inline, larger ones saved to the download folder (path returned).',
  input: v.strictObject({ kind: Kind, attachment_id: AttachmentId }),
  output: v.object({ id: v.number(), name: v.string(), size: v.number(), content_type: v.string(), inline: v.optional(v.boolean()), saved_to: v.optional(v.string()) }),
  annotations: READ,
  async handler({ kind, attachment_id }, ctx) {
    const opts = ctx.options as AttachmentOptions;
    const a = await ctx.taiga.get<Raw>(`${attachmentsOf(kind)}/${String(attachment_id)}`);
    const raw = String(a['url']);
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (!url || !allowedSource(url, ctx.taiga.apiUrl, opts.mediaHosts)) throw new TaigaMcpError('PERMISSION_DENIED', { message: `The file is on ${url?.origin ?? 'no valid URL'}, which is not Taiga's origin nor a configured media origin.`, hint: 'An operator may add it to plugins.options.attachments.mediaHosts.' });
    const name = String(a['name']);
    const size = Number(a['size'] ?? 0);
    const base = { id: a['id'] as number, name, size };
    if (size <= opts.maxInlineBytes) return inline(ctx, url.href, base, opts);
    const over = `The file is ${size} bytes, over the inline limit of ${opts.maxInlineBytes}`;
    if (!opts.downloadDir) throw new TaigaMcpError('INVALID_INPUT', { message: `${over}, and no download folder is configured.`, details: { limit_bytes: opts.maxInlineBytes }, hint: 'An operator may set plugins.options.attachments.downloadDir.' });
    if (ctx.service<Config>('config').tools.readOnly && !opts.saveInReadOnly) throw new TaigaMcpError('INVALID_INPUT', { message: `${over}, and in read-only mode nothing is saved to disk.`, details: { limit_bytes: opts.maxInlineBytes }, hint: 'An operator may set plugins.options.attachments.saveInReadOnly.' });
    if (size > opts.maxDownloadBytes) throw new TaigaMcpError('INVALID_INPUT', { message: `The file is ${size} bytes, over the download limit of ${opts.maxDownloadBytes}.`, details: { limit_bytes: opts.maxDownloadBytes } });
    const release = await reserveRoom(opts.downloadDir, size, opts.downloadDirMaxBytes);
    try {
      return { ...base, ...(await save(ctx, url.href, opts.downloadDir, name, size)) };
    } finally {
      release();
    }
  },
  render: (r) => (r.inline ? `Attachment id=${r.id} ${quote(r.name)} (${r.content_type}, ${r.size} bytes) follows as an embedded resource.` : `Saved attachment id=${r.id} ${quote(r.name)} (${r.size} bytes) to ${quote(String(r.saved_to))}.`),
});

/** Streams the file into a new file of the folder, at most the `size` Taiga announced (the room reserved for it); a failed save leaves nothing. */
async function save(ctx: ToolContext, url: string, dir: string, name: string, size: number) {
  const file = await freshFile(dir, name);
  try {
    const got = await ctx.taiga.download(url, file.stream, { timeoutMs: 600_000, maxBytes: size });
    await new Promise<void>((resolve, reject) => file.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return { size: got.bytes, content_type: got.contentType ?? 'application/octet-stream', saved_to: file.path };
  } catch (err) {
    file.stream.destroy();
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: freshFile made the file; only someone removing it meanwhile would make rm without force throw (over the real error).
    await rm(file.path, { force: true });
    throw err;
  }
}

async function inline(ctx: ToolContext, url: string, base: { id: number; name: string; size: number }, opts: AttachmentOptions) {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (chunks.push(chunk), done()) });
  const got = await ctx.taiga.download(url, sink, { timeoutMs: 120_000, maxBytes: opts.maxInlineBytes });
  const data = Buffer.concat(chunks);
  const contentType = got.contentType?.split(';')[0]!.trim() || 'application/octet-stream';
  ctx.addContent({ type: 'resource', resource: { uri: `taiga://attachments/${base.id}/${encodeURIComponent(base.name)}`, mimeType: contentType, blob: data.toString('base64') } });
  return { ...base, size: data.length, content_type: contentType, inline: true };
}
