import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { TaigaMcpError } from '../../core/errors.js';
import type { StreamBody } from '../../core/taiga/http.js';
import type { UploadSource } from './upload-source.js';

/** What could end a header line (CR, LF) or a quoted string: refused, never repaired, in every header value written. */
const UNSAFE = /[\u0000-\u001f\u007f"]/;

function checkedValue(value: string): string {
  if (UNSAFE.test(value)) throw new TaigaMcpError('INTERNAL', { message: 'A multipart header value with a control character or a quote reached the writer.' });
  return value;
}

/** A quoted-string (RFC 9110) with `\` escaped, which Django's parser reads back. */
const quoted = (value: string): string => `"${checkedValue(value).replace(/\\/g, '\\\\')}"`;

/** multipart/form-data with text fields and one file, streamed, with its exact length known up front. */
export function multipart(fields: Record<string, string>, fileField: string, file: UploadSource): StreamBody {
  const boundary = `taiga-mcp-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name=${quoted(k)}\r\n\r\n${v}\r\n`).join('') +
      `--${boundary}\r\ncontent-disposition: form-data; name=${quoted(fileField)}; filename=${quoted(file.name)}\r\ncontent-type: ${checkedValue(file.contentType)}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + file.size + tail.length,
    open: () => Readable.from((async function* () {
      yield head;
      for await (const chunk of file.open()) yield chunk as Buffer;
      yield tail;
    })()),
  };
}
