// Request body parsing as DRF's parsers do it, with Python-flavoured JSON errors.
import type { IncomingHttpHeaders } from 'node:http';
import { taigaError } from './http.js';
import { parseMultipart } from './multipart.js';

export function parseBody(raw: Buffer, headers: IncomingHttpHeaders): unknown {
  const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType === 'multipart/form-data') return parseMultipart(raw, headers['content-type'] ?? '');
  const text = raw.toString('utf8');
  if (contentType === 'application/json') {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch (err) {
      throw taigaError(400, `JSON parse error - ${pythonJsonError(text, err)}`, 'ParseError');
    }
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (raw.length === 0) return undefined;
  throw taigaError(415, `Unsupported media type '${contentType}' in request.`, 'UnsupportedMediaType');
}

/** Approximates Python's json error text ("Expecting value: line 1 column 27 (char 26)"). */
function pythonJsonError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const m = /position (\d+)/.exec(message);
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `Expecting value: line ${line} column ${column} (char ${pos})`;
}
