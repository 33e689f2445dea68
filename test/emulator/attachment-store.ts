// The bytes of uploaded attachments, in memory and bounded: a demo or a test
// run must not grow without limit, so an upload that would pass the bound is
// refused (the caller answers 400) rather than evicting files a client may
// still download.
import { createHash } from 'node:crypto';

export const MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024;

export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

export class AttachmentStore {
  private files = new Map<string, StoredFile>();
  private used = 0;

  constructor(readonly maxBytes = MAX_ATTACHMENT_BYTES) {}

  get usedBytes(): number {
    return this.used;
  }

  /** False, and nothing stored, when the bytes do not fit. */
  put(path: string, bytes: Buffer, contentType: string): boolean {
    const previous = this.files.get(path)?.bytes.length ?? 0;
    if (this.used - previous + bytes.length > this.maxBytes) return false;
    this.files.set(path, { bytes, contentType });
    this.used += bytes.length - previous;
    return true;
  }

  get(path: string): StoredFile | undefined {
    return this.files.get(path);
  }

  delete(path: string): void {
    const file = this.files.get(path);
    if (!file) return;
    this.used -= file.bytes.length;
    this.files.delete(path);
  }
}

/**
 * taiga-back's layout: attachments/a/b/c/d/<60 more hex digits>/<file name>, from a hash. The
 * name is made safe as Django's get_valid_filename does, so the path is a plain URL path.
 */
const paths = new Map<string, string>();
export function attachmentPath(id: number, name: string): string {
  const key = `${id}:${name}`;
  const known = paths.get(key);
  if (known !== undefined) return known;
  if (paths.size >= 5000) paths.clear();
  const h = createHash('sha256').update(key).digest('hex');
  const safe = name.trim().replace(/\s+/g, '_').replace(/[^-\w.]/g, '') || 'file';
  const path = `attachments/${h[0]}/${h[1]}/${h[2]}/${h[3]}/${h.slice(4)}/${safe}`;
  paths.set(key, path);
  return path;
}
