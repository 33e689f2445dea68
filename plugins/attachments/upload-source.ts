import { open, realpath } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, sep } from 'node:path';
import { Readable } from 'node:stream';
import { TaigaMcpError } from '../../core/errors.js';
import { typeAllowed, typeOfName, type AttachmentOptions } from './options.js';

export interface UploadSource {
  name: string;
  contentType: string;
  size: number;
  open(): Readable;
  close(): Promise<void>;
}

const refuse = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new TaigaMcpError('INVALID_INPUT', { message, details: { fields: { [field]: message }, ...details } });

/** Inline content: already in the request, so it is checked and sent from memory. */
export function inlineSource(base64: string, name: string, type: string | undefined, opts: AttachmentOptions): UploadSource {
  const data = Buffer.from(base64, 'base64');
  if (data.length === 0 || data.toString('base64').replace(/=+$/, '') !== base64.replace(/\s+/g, '').replace(/=+$/, '')) throw refuse('content_base64', 'not valid base64 content');
  return checked({ name, contentType: type ?? typeOfName(name), size: data.length, open: () => Readable.from([data]), close: async () => undefined }, opts, 'content_base64');
}

/**
 * A local file, only under a configured root, the path resolved after following every link so that
 * `..` and symlinks cannot leave the root. The file is opened once, without following a last link,
 * and checked again through its descriptor; it is then streamed, never read whole.
 */
export async function fileSource(path: string, type: string | undefined, opts: AttachmentOptions): Promise<UploadSource> {
  if (opts.uploadRoots.length === 0) throw refuse('path', 'uploads from files are off: no upload folder is configured (plugins.options.attachments.uploadRoots); send content_base64 instead');
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw refuse('path', 'no such file');
  }
  const roots = await Promise.all(opts.uploadRoots.map((r) => realpath(r).catch(() => undefined)));
  const inside = (p: string) => roots.some((root) => root !== undefined && (p === root || p.startsWith(root.endsWith(sep) ? root : root + sep)));
  if (!inside(real)) throw refuse('path', 'the file is outside the upload folders', { upload_roots: opts.uploadRoots });
  const handle = await open(real, 'r').catch(() => undefined);
  if (!handle) throw refuse('path', 'the file cannot be read');
  try {
    const stat = await handle.stat();
    const viaFd = existsSync(`/proc/self/fd/${handle.fd}`) ? await realpath(`/proc/self/fd/${handle.fd}`) : real;
    if (!stat.isFile() || !inside(viaFd)) throw refuse('path', 'the file is outside the upload folders', { upload_roots: opts.uploadRoots });
    const name = basename(real);
    return checked({ name, contentType: type ?? typeOfName(name), size: stat.size, open: () => handle.createReadStream({ start: 0, autoClose: false }), close: () => handle.close() }, opts, 'path');
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function checked(source: UploadSource, opts: AttachmentOptions, field: string): UploadSource {
  if (source.size > opts.maxUploadBytes) throw refuse(field, `the file is ${source.size} bytes, over the upload limit of ${opts.maxUploadBytes}`, { limit_bytes: opts.maxUploadBytes, size: source.size });
  if (!typeAllowed(source.contentType, opts.allowedTypes)) throw refuse(field, `${source.contentType} files are not allowed here`, { content_type: source.contentType, allowed_types: opts.allowedTypes });
  return source;
}
