// The bytes of uploaded attachments, in memory and bounded: a demo or a test
// run must not grow without limit, so an upload that would pass the bound is
// refused (the caller answers 400) rather than evicting files a client may
// still download.
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
