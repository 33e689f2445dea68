import * as v from 'valibot';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Writable } from 'node:stream';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { quote } from '../../../core/render/untrusted.js';
import { READ } from '../../../core/work-items/index.js';
import { Kind } from '../../item-targets.js';
import type { AttachmentOptions } from '../options.js';
import { AttachmentId, attachmentsOf } from './attachments.js';

type Raw = Record<string, unknown>;

/**
 * Where an attachment may come from: Taiga's own host, its parent domain's hosts (api.taiga.io →
 * media-protected.taiga.io), or a configured media host; anything else would let a crafted record
 * make this server fetch from any machine.
 */
function allowedSource(url: URL, apiUrl: string, extra: readonly string[]): boolean {
  const api = new URL(apiUrl);
  if (url.protocol !== api.protocol && url.protocol !== 'https:') return false;
  const labels = api.hostname.split('.');
  const parent = labels.length >= 3 ? labels.slice(1).join('.') : undefined;
  return url.hostname === api.hostname || (parent !== undefined && url.hostname.endsWith(`.${parent}`)) || extra.includes(url.hostname);
}

/** A file of that name in the folder that does not exist yet: `a.pdf`, `a (1).pdf`, … (never an overwrite). */
async function freshFile(dir: string, name: string): Promise<{ path: string; stream: WriteStream }> {
  const safe = name.replace(/[/\\\u0000-\u001f]/g, '_').replace(/^\.+/, '_').slice(0, 200) || 'attachment';
  const ext = extname(safe);
  for (let n = 0; n < 1000; n++) {
    const path = join(dir, n === 0 ? safe : `${safe.slice(0, safe.length - ext.length)} (${n})${ext}`);
    const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    const opened = await new Promise<boolean>((resolve, reject) => {
      stream.once('open', () => resolve(true));
      stream.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? resolve(false) : reject(err)));
    });
    if (opened) return { path, stream };
  }
  throw new TaigaMcpError('INTERNAL', { message: 'No free file name in the download folder.' });
}

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
    const url = new URL(String(a['url'] ?? a['attached_file']));
    if (!allowedSource(url, ctx.taiga.apiUrl, opts.mediaHosts)) throw new TaigaMcpError('PERMISSION_DENIED', { message: `The file is on ${url.hostname}, which is not Taiga's host nor a configured media host.`, hint: 'An operator may add it to plugins.options.attachments.mediaHosts.' });
    const name = String(a['name']);
    const size = Number(a['size'] ?? 0);
    const base = { id: a['id'] as number, name, size };
    if (size <= opts.maxInlineBytes) return inline(ctx, url.href, base, opts);
    if (!opts.downloadDir) throw new TaigaMcpError('INVALID_INPUT', { message: `The file is ${size} bytes, over the inline limit of ${opts.maxInlineBytes}, and no download folder is configured.`, details: { limit_bytes: opts.maxInlineBytes }, hint: 'An operator may set plugins.options.attachments.downloadDir.' });
    if (size > opts.maxDownloadBytes) throw new TaigaMcpError('INVALID_INPUT', { message: `The file is ${size} bytes, over the download limit of ${opts.maxDownloadBytes}.`, details: { limit_bytes: opts.maxDownloadBytes } });
    const file = await freshFile(opts.downloadDir, name);
    try {
      const got = await ctx.taiga.download(url.href, file.stream, { timeoutMs: 600_000, maxBytes: opts.maxDownloadBytes });
      await new Promise<void>((resolve, reject) => file.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
      return { ...base, size: got.bytes, content_type: got.contentType ?? 'application/octet-stream', saved_to: file.path };
    } catch (err) {
      file.stream.destroy();
      await rm(file.path, { force: true });
      throw err;
    }
  },
  render: (r) => (r.inline ? `Attachment id=${r.id} ${quote(r.name)} (${r.content_type}, ${r.size} bytes) follows as an embedded resource.` : `Saved attachment id=${r.id} ${quote(r.name)} (${r.size} bytes) to ${quote(r.saved_to ?? '')}.`),
});

async function inline(ctx: ToolContext, url: string, base: { id: number; name: string; size: number }, opts: AttachmentOptions) {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (chunks.push(chunk), done()) });
  const got = await ctx.taiga.download(url, sink, { timeoutMs: 120_000, maxBytes: opts.maxInlineBytes });
  const data = Buffer.concat(chunks);
  const contentType = got.contentType?.split(';')[0]?.trim() || 'application/octet-stream';
  ctx.addContent({ type: 'resource', resource: { uri: `taiga://attachments/${base.id}/${encodeURIComponent(base.name)}`, mimeType: contentType, blob: data.toString('base64') } });
  return { ...base, size: data.length, content_type: contentType, inline: true };
}
