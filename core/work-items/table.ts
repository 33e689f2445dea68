import { word } from '../render/untrusted.js';
import type { LeanItem } from './lean.js';
import { outputs, type OutputField } from './outputs.js';

/**
 * A page of items as one table: a header naming the columns once (the structuredContent keys), then
 * one row per item, cells split by `|`. It carries every fact of the one-line-per-item rendering in
 * about four fifths of the bytes: the `key:` of every value is said once, not on every row, and a
 * column no item of the page has is left out. Flags (closed, blocked…) share one `flags` column.
 * User text keeps its boundary: a cell is a bare word only when `word` finds nothing in it that could
 * end the cell or the row (no `|`, space, quote or bracket); anything else is a JSON string literal.
 * A single-valued column that has the same value on every row of the page (the sprint of a sprint's
 * tasks, the assignee of "mine", version 1 of new items) is said once, above the header.
 */
const FLAG = 'flags';

const catalog = outputs as Record<string, OutputField>;

function cell(name: string, value: unknown): string {
  const own = catalog[name]?.cell;
  if (own) return own(value as never);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return inCell(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? String(v) : inCell(String(v)))).join(' ');
  return inCell(JSON.stringify(value));
}

/** A bare word, or a JSON literal whose `|` is escaped too, so that splitting a row on `|` is always right. */
const inCell = (text: string): string => word(text).replace(/\|/g, '\\u007c');

const isFlag = (name: string): boolean => catalog[name]?.schema.type === 'boolean';
/** One value, so that `name=value` cannot be misread (a list's cell is words with spaces between). */
const isScalar = (value: unknown): boolean => typeof value === 'string' || typeof value === 'number';
const SAME = 'every row: ';

/** The table of a page; `names` is the kind's list whitelist, in its order. */
export function itemsTable(items: readonly LeanItem[], names: readonly string[]): string {
  if (items.length === 0) return '';
  const present = names.filter((n) => !catalog[n]?.block && items.some((item) => item[n] !== undefined));
  const shared = items.length > 1 ? present.filter((n) => !isFlag(n) && isScalar(items[0]![n]) && items.every((item) => item[n] === items[0]![n])) : [];
  const columns = present.filter((n) => !isFlag(n) && !shared.includes(n));
  const flags = present.filter(isFlag);
  const header = [...columns, ...(flags.length ? [FLAG] : [])].join('|');
  const same = shared.length ? [`${SAME}${shared.map((n) => `${n}=${cell(n, items[0]![n])}`).join(' ')}`] : [];
  const rows = items.map((item) => {
    const cells = columns.map((n) => (item[n] === undefined ? '' : cell(n, item[n])));
    if (flags.length) cells.push(flags.filter((n) => item[n] === true).map((n) => catalog[n]!.text!(true as never)).join(' '));
    return cells.join('|');
  });
  return [...same, header, ...rows].join('\n');
}
