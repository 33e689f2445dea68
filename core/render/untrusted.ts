/**
 * The untrusted-text boundary of every text rendering. Anything a Taiga user wrote (subjects,
 * descriptions, comments, wiki pages, names, tags) reaches the model either
 * - inline, as a JSON string literal: quotes, backslashes and line breaks are escaped by JSON, and
 *   `<`, `>`, `&`, U+2028 and U+2029 as \u003c \u003e \u0026 \u2028 \u2029, so nothing inside can end
 *   the string or a line, or look like a tag; or
 * - as a block between <untrusted-user-content> tags, with `&`, `<`, `>` and their look-alikes
 *   written as character references, so that no content can close the block.
 * Both are escapes, not deletions: the original text can be recovered exactly.
 */

export const BLOCK_OPEN = '<untrusted-user-content>';
export const BLOCK_CLOSE = '</untrusted-user-content>';

/** Angle brackets that read like `<` or `>` to a model: fullwidth, small, single and CJK forms. */
const LOOKALIKES = /[&<>\uFF1C\uFF1E\uFE64\uFE65\u2039\u203A\u3008\u3009\u27E8\u27E9\u2329\u232A]/g;
const NAMED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** What JSON.stringify leaves as it is but must not reach the model raw: tag brackets, `&`, and the Unicode line and paragraph separators. */
const TAG_OR_BREAK = /[<>&\u2028\u2029]/g;
const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A user-written string as a JSON literal that cannot be broken out of. */
export function quote(text: string): string {
  return JSON.stringify(text).replace(TAG_OR_BREAK, unicodeEscape);
}

/** Long user-written text (a description, a comment, a wiki page) as a delimited, escaped block. */
export function block(text: string): string {
  const escaped = text.replace(LOOKALIKES, (c) => NAMED[c] ?? `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
  return `${BLOCK_OPEN}\n${escaped}\n${BLOCK_CLOSE}`;
}

/** A name Taiga restricts to letters, digits and `.-_@+` (usernames, slugs) stays bare; anything else is quoted. */
export function word(text: string): string {
  return /^[\p{L}\p{N}_.@+-]{1,150}$/u.test(text) ? text : quote(text);
}

/**
 * Our own text, read outside any JSON (a JSON-RPC error's message): its Taiga parts are already
 * quote()d, and whatever could still end a line or form a tag is escaped as inside a JSON string.
 */
export function plain(text: string): string {
  return text.replace(/[<>&\u0000-\u001F\u007F\u2028\u2029]/g, unicodeEscape);
}

/** A structured value (error details) whose every string, keys included, is a word() or a JSON literal. */
export function worded(value: unknown): unknown {
  if (typeof value === 'string') return word(value);
  if (Array.isArray(value)) return value.map(worded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [word(k), worded(v)]));
  return value;
}

/** Compact JSON in which no string can form a tag: the default text of a tool without its own rendering. */
export function json(value: unknown): string {
  return JSON.stringify(value).replace(TAG_OR_BREAK, unicodeEscape);
}
