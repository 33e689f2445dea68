import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { StreamBody } from '../../core/taiga/http.js';
import type { UploadSource } from './upload-source.js';

const escapeName = (s: string) => s.replace(/["\\\r\n]/g, '_');

/** multipart/form-data with text fields and one file, streamed, with its exact length known up front. */
export function multipart(fields: Record<string, string>, fileField: string, file: UploadSource): StreamBody {
  const boundary = `taiga-mcp-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${escapeName(k)}"\r\n\r\n${v}\r\n`).join('') +
      `--${boundary}\r\ncontent-disposition: form-data; name="${escapeName(fileField)}"; filename="${escapeName(file.name)}"\r\ncontent-type: ${file.contentType}\r\n\r\n`,
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
