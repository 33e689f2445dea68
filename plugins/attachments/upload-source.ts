import { realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { uploadType } from './file-types.js';
import { openInside } from './open-inside.js';
import type { AttachmentOptions } from './options.js';
import { refuse } from './refuse.js';

export interface UploadSource {
  name: string;
  contentType: string;
  size: number;
  /** Whether two reads give the same bytes (held in memory); a file on disk may change between them. */
  fixed: boolean;
  open(): Readable;
  close(): Promise<void>;
}

/** What a multipart header cannot carry: a name with one is refused here, never rewritten. */
const UNSENDABLE = /[\u0000-\u001f\u007f"]/;

/** The longest base64 text of `limit` bytes: 4 characters per 3 bytes, plus a line break (CRLF) every 76 characters. */
const maxEncodedLength = (limit: number): number => {
  const encoded = Math.ceil(limit / 3) * 4;
  return encoded + Math.ceil(encoded / 76) * 2;
};

/** Inline content: already in the request, so it is checked and sent from memory. Its length is checked before it is decoded. */
export function inlineSource(base64: string, name: string, type: string | undefined, opts: AttachmentOptions): UploadSource {
  if (base64.length > maxEncodedLength(opts.maxUploadBytes)) throw overLimit('content_base64', opts.maxUploadBytes);
  const data = Buffer.from(base64, 'base64');
  // Stryker disable next-line Regex: canonical base64 has '=' only at its end and Node stops decoding at the first '=', so no variant of these patterns judges any text otherwise.
  if (data.length === 0 || data.toString('base64').replace(/=+$/, '') !== base64.replace(/\s+/g, '').replace(/=+$/, '')) throw refuse('content_base64', 'not valid base64 content');
  return checked({ name, contentType: type, size: data.length, fixed: true, open: () => Readable.from([data]), close: async () => undefined }, opts, 'content_base64', 'filename');
}

/**
 * A local file, only under a configured root (see openInside), streamed, never read whole.
 * Whether the caller may name the server's files at all is the tool's to decide.
 */
export async function fileSource(path: string, type: string | undefined, opts: AttachmentOptions): Promise<UploadSource> {
  if (opts.uploadRoots.length === 0) throw refuse('path', 'uploads from files are off: no upload folder is configured (plugins.options.attachments.uploadRoots); send content_base64 instead');
  const roots = await Promise.all(opts.uploadRoots.map((r) => realpath(r).catch(() => undefined)));
  const { handle, real, size } = await openInside(path, roots);
  try {
    return checked({ name: basename(real), contentType: type, size, fixed: false, open: () => handle.createReadStream({ start: 0, autoClose: false }), close: () => handle.close() }, opts, 'path', 'path');
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function checked(source: Omit<UploadSource, 'contentType'> & { contentType: string | undefined }, opts: AttachmentOptions, field: string, nameField: string): UploadSource {
  if (UNSENDABLE.test(source.name)) throw refuse(nameField, 'the file name has a control character (a line break, a tab…) or a double quote');
  if (source.size > opts.maxUploadBytes) throw overLimit(field, opts.maxUploadBytes, source.size);
  return { ...source, contentType: uploadType(source.name, source.contentType, opts.allowedTypes, field) };
}

const overLimit = (field: string, limit: number, size?: number) =>
  refuse(field, `${size === undefined ? 'the content is' : `the file is ${size} bytes,`} over the upload limit of ${limit}`, { limit_bytes: limit, size });
