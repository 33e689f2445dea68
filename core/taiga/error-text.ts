/**
 * Small, pure helpers that turn pieces of a Taiga error body into text that is safe to show:
 * bounded, single-line, no HTML, no token-looking strings.
 */

const JWT_LIKE = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const BEARER_LIKE = /\b(Bearer|Application)\s+\S+/gi;

/** One line, no control characters, tokens masked, at most `max` characters. */
export function safeText(text: string, max: number): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(JWT_LIKE, '[redacted]')
    .replace(BEARER_LIKE, '$1 [redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

const looksLikeHtml = (text: string): boolean => /^\s*</.test(text);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The human message Taiga put in a body, if any: a bare JSON string, `_error_message`,
 * `{error}` (handler500 / returned BadRequest) or `{detail}` (auth errors). HTML is never a message.
 */
export function taigaMessageOf(body: unknown): string | undefined {
  let text: unknown;
  if (typeof body === 'string') text = body;
  else if (isRecord(body)) text = body['_error_message'] ?? body['error'] ?? body['detail'];
  if (typeof text !== 'string' || looksLikeHtml(text)) return undefined;
  const safe = safeText(text, 300);
  return safe === '' ? undefined : safe;
}

/** Every string inside a field-error value (`"msg"`, `["msg"]`, nested bulk item errors), joined. */
function collectStrings(value: unknown, out: string[], depth = 0): void {
  if (depth > 4 || out.length >= 10) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1);
  else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      const inner: string[] = [];
      collectStrings(v, inner, depth + 1);
      if (inner.length > 0) out.push(`${k}: ${inner.join('; ')}`);
    }
  }
}

const MAX_FIELDS = 20;

/**
 * `{field: [msgs]}` (including `non_field_errors` and `__all__`) → `{field: "msg; msg"}`,
 * at most 20 fields of 200 characters each. Undefined when the body is not such a dict.
 */
export function fieldErrorsOf(body: unknown): { fields: Record<string, string>; omitted: number } | undefined {
  if (!isRecord(body) || '_error_message' in body) return undefined;
  const entries = Object.entries(body);
  if (entries.length === 0) return undefined;

  const fields: Record<string, string> = {};
  let kept = 0;
  for (const [name, value] of entries) {
    const messages: string[] = [];
    collectStrings(value, messages);
    if (messages.length === 0) continue;
    if (kept === MAX_FIELDS) return { fields, omitted: entries.length - MAX_FIELDS };
    fields[safeText(name, 100)] = safeText(messages.join('; '), 200);
    kept += 1;
  }
  return kept === 0 ? undefined : { fields, omitted: 0 };
}

/** `/userstories/99` → `{ resource: 'userstories', id: '99' }`; other shapes keep the path. */
export function targetOf(path: string): { resource: string; id?: string } {
  const segments = path.split('?')[0]!.split('/').filter((s) => s !== '');
  const last = segments.at(-1);
  const before = segments.at(-2);
  if (last !== undefined && before !== undefined && /^\d+$/.test(last)) {
    return { resource: safeText(before, 60), id: last };
  }
  return { resource: safeText(`/${segments.join('/')}`, 120) };
}
