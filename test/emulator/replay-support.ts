// Helpers of the fixture replay: loading exchanges, translating recorded
// placeholders into real requests, and comparing response shapes.
import { readFileSync, readdirSync } from 'node:fs';

export interface Exchange {
  name: string;
  request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: unknown;
    raw_body?: string;
    multipart?: MultipartPart[];
  };
  response: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
    truncated_from?: number;
  };
}

/** A recorded multipart field (`value`) or file (`filename`, `content_type`, `content`). */
export interface MultipartPart {
  name: string;
  value?: string;
  filename?: string;
  content_type?: string;
  content?: string;
}

/** The recorded parts as a multipart/form-data body and its Content-Type (the boundary stands for `<boundary>`). */
export function multipartBody(parts: MultipartPart[], recordedType: string): { body: string; contentType: string } {
  const boundary = '----replay' + Math.random().toString(16).slice(2);
  const chunks = parts.map((p) =>
    p.filename === undefined
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value ?? ''}\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\n` +
        `Content-Type: ${p.content_type ?? 'application/octet-stream'}\r\n\r\n${p.content ?? ''}\r\n`,
  );
  return { body: chunks.join('') + `--${boundary}--\r\n`, contentType: recordedType.replace('<boundary>', boundary) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Server-made UUIDs (history entry ids) differ between the recording and the
 * emulator: walks the recorded and the actual body side by side and notes
 * recorded → actual for every `id` that is a UUID, so that later requests
 * naming a recorded id can be sent with the emulator's.
 */
export function learnIds(expected: unknown, actual: unknown, into: Map<string, string>): void {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    expected.forEach((e, i) => learnIds(e, actual[i], into));
  } else if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    if (typeof e['id'] === 'string' && typeof a['id'] === 'string' && UUID.test(e['id']) && !into.has(e['id'])) into.set(e['id'], a['id']);
  }
}

export function translateIds(text: string, ids: Map<string, string>): string {
  let out = text;
  for (const [recorded, actual] of ids) out = out.split(recorded).join(actual);
  return out;
}

export const FIXTURES = new URL('../../../test/fixtures/taiga-6.7.3/', import.meta.url);

export function loadGroups(): Map<string, Exchange[]> {
  const groups = new Map<string, Exchange[]>();
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()) {
    const data = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as { group: string; exchanges: Exchange[] };
    groups.set(file.replace(/\.json$/, ''), data.exchanges);
  }
  return groups;
}

/** Keys whose values are data-keyed maps (tag → color, role → points): their key sets are not compared. */
const MAP_KEYS = new Set(['tags_colors', 'points', 'total_points']);

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Differences between the recorded and the actual body shape. Rules:
 * same JSON type (null on either side matches anything: nullable values
 * depend on data); same key set for objects, recursively; top-level arrays
 * must have the recorded length (`truncated_from` when cut); nested arrays
 * compare their first item's shape when both are non-empty.
 */
export function shapeDiff(expected: unknown, actual: unknown, path = '$', topLevelLength?: number): string[] {
  const te = typeOf(expected);
  const ta = typeOf(actual);
  if (te === 'null' || ta === 'null') return [];
  if (te !== ta) return [`${path}: type ${ta}, expected ${te}`];
  if (te === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    const diffs: string[] = [];
    if (topLevelLength !== undefined && a.length !== topLevelLength) diffs.push(`${path}: length ${a.length}, expected ${topLevelLength}`);
    if (e.length && a.length) diffs.push(...shapeDiff(e[0], a[0], `${path}[0]`));
    return diffs;
  }
  if (te === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const ek = Object.keys(e);
    const ak = Object.keys(a);
    const missing = ek.filter((k) => !(k in a));
    const extra = ak.filter((k) => !(k in e));
    const diffs: string[] = [];
    if (missing.length) diffs.push(`${path}: missing keys ${missing.join(', ')}`);
    if (extra.length) diffs.push(`${path}: unexpected keys ${extra.join(', ')}`);
    for (const k of ek) {
      if (!(k in a)) continue;
      if (MAP_KEYS.has(k) && typeOf(e[k]) === 'object') continue;
      diffs.push(...shapeDiff(e[k], a[k], `${path}.${k}`));
    }
    return diffs;
  }
  return [];
}

/** Key-order-insensitive equality. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
