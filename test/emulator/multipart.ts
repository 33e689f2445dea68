// multipart/form-data, parsed the way Django's MultiPartParser reads it: text
// fields become strings, file parts keep their bytes, name and content type.
export class UploadedFile {
  constructor(readonly filename: string, readonly contentType: string, readonly bytes: Buffer) {}
  /** What the request log keeps of an upload: its size, never its bytes. */
  toJSON() {
    return { filename: this.filename, content_type: this.contentType, size: this.bytes.length };
  }
}

function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]!) : null;
}

/** A parameter, quoted (`\\` and `\"` read back as `\` and `"`, as Django 3.2's parse_header does) or a bare token. */
function headerParam(header: string, name: string): string | undefined {
  const quoted = new RegExp(`${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (quoted) return quoted[1]!.replace(/\\(["\\])/g, '$1');
  return new RegExp(`${name}=([^;\\s]+)`, 'i').exec(header)?.[1];
}

/** Fields by name (the last one wins, as QueryDict.get does); a body without a boundary gives {}. */
export function parseMultipart(raw: Buffer, contentType: string): Record<string, string | UploadedFile> {
  const out: Record<string, string | UploadedFile> = {};
  const boundary = boundaryOf(contentType);
  if (!boundary) return out;
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = raw.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    // A part: CRLF, headers, a blank line, the content, CRLF before the next delimiter.
    const part = raw.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = headerParam(disposition, 'name');
      const filename = headerParam(disposition, 'filename');
      const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
      if (name !== undefined) out[name] = filename === undefined ? content.toString('utf8') : new UploadedFile(filename, type, Buffer.from(content));
    }
    pos = next;
  }
  return out;
}
