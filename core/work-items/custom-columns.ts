import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import type { ToolContext } from '../plugin/types.js';
import type { Query } from '../taiga/request-target.js';
import { Id, pageFields } from '../schemas.js';
import { quote } from '../render/untrusted.js';
import { ATTRIBUTE_ROUTES, attributeNamed, attributesOf, checkValue, type Attribute, type AttributeKind } from '../../plugins/custom-attributes/attributes.js';
import type { WorkItemKind } from './kind.js';
import type { LeanItem } from './lean.js';
import { itemsTable } from './table.js';
import { scanPage, Cursor, type Matcher, type Paging } from './custom-scan.js';

type Raw = Record<string, unknown>;

/**
 * Custom attributes in the `list_` tools (issue 16 §10): `columns` adds chosen attributes to each
 * item, `custom` keeps the items whose attributes have the given values. Taiga lists neither (its
 * values live in one `/{kind}/custom-attributes-values/{id}` record per item), so both cost one
 * request per item, made only when asked, a few at a time; a `custom` filter is applied here,
 * after fetching, and pages with a cursor (custom-scan.ts).
 */
const AttributeName = v.pipe(v.string(), v.maxLength(64));
const Wanted = v.union([v.pipe(v.string(), v.maxLength(2000)), v.number(), v.boolean(), v.null()]);
const WantedValues = v.union([Wanted, v.pipe(v.array(Wanted), v.minLength(1), v.maxLength(20))]);

/**
 * The arguments a kind with custom attributes adds to its list tool (none for other kinds). `page`
 * also takes the next_page string of a filtered page. Said in the instructions, not the schema:
 * `custom` values are checked here, as `exclude`'s are.
 */
export function customEntries(kind: WorkItemKind): v.ObjectEntries {
  // Stryker disable next-line ConditionalExpression: the four kinds with list tools all have custom attributes; this keeps a future kind without them from offering the arguments
  if (!(kind.name in ATTRIBUTE_ROUTES)) return {};
  return {
    columns: v.optional(v.union([AttributeName, v.pipe(v.array(AttributeName), v.minLength(1), v.maxLength(10))])),
    custom: v.optional(v.pipe(v.record(AttributeName, v.unknown()), v.minEntries(1), v.maxEntries(10))),
    page: v.optional(v.union([v.pipe(Id, v.maxValue(100_000)), Cursor]), 1),
  };
}

/** What a list item gains: the asked columns that have a value, by attribute name. */
export const customItemEntries = { custom: v.optional(v.record(v.string(), v.unknown())) };
/** What a page gains: the columns' names as Taiga spells them, and how a filtered scan went. */
export const customPageEntries = {
  columns: v.optional(v.array(v.string())),
  next_page: v.optional(v.string()),
  scanned: v.optional(v.object({ from: v.number(), to: v.number(), of: v.nullable(v.number()) })),
  scan_limit: v.optional(v.number()),
};

export interface CustomArgs {
  columns?: string | string[] | undefined;
  custom?: Record<string, unknown> | undefined;
}

export interface ListPage {
  raws: Raw[];
  /** Each raw item's custom values by attribute id (only when columns or a filter were asked). */
  values?: Map<Raw, Raw>;
  columns?: Attribute[];
  paging: Paging;
}

const unset = (value: unknown): boolean => value === undefined || value === null || value === '';

/** Equality on the attribute's own type; null matches an item without a value. Taiga may keep a number as text. */
function equal(value: unknown, wanted: unknown): boolean {
  if (wanted === null) return unset(value);
  if (typeof wanted === 'number' && typeof value === 'string' && value.trim() !== '') return Number(value) === wanted;
  return value === wanted;
}

function matcher(attributes: Attribute[], custom: Record<string, unknown>): Matcher {
  const tests = Object.entries(custom).map(([name, given]) => {
    // Stryker disable next-line MethodExpression: the schema already holds a name to 64 characters; cut again so that an error never echoes more
    const field = `custom.${name.slice(0, 64)}`;
    const shape = v.safeParse(WantedValues, given);
    if (!shape.success) throw invalid(field, 'expected a value (text, number, true/false or null) or a list of them');
    const attribute = attributeNamed(attributes, name, field);
    const wanted = (Array.isArray(given) ? given : [given]).map((w) => checkValue(attribute, w, field));
    return { id: String(attribute.id), wanted };
  });
  return {
    key: tests.map((t) => [t.id, t.wanted] as const).sort(([a], [b]) => a.localeCompare(b)),
    test: (values) => tests.every((t) => t.wanted.some((w) => equal(values[t.id], w))),
  };
}

/**
 * One page of a list: Taiga's page as it is, or, with a `custom` filter, the matching items of a
 * bounded scan from the cursor. Attribute definitions are read only when columns or a filter name them.
 */
export async function listPage(ctx: ToolContext, kind: WorkItemKind, project: number, query: Query, page: { page: number | string; pageSize: number }, args: CustomArgs): Promise<ListPage> {
  const wantsCustom = args.columns !== undefined || args.custom !== undefined;
  const cursor = typeof page.page === 'string' ? page.page : undefined;
  if (cursor !== undefined && args.custom === undefined) throw invalid('page', 'a next_page string continues a list filtered by custom; give the same filters with it');
  // Stryker disable next-line ConditionalExpression: a next_page string compares as NaN, never above 1; the type test says what is meant
  if (args.custom !== undefined && typeof page.page === 'number' && page.page > 1) throw invalid('page', 'a list filtered by custom goes on with the next_page string of the page before');
  const plain = async () => {
    const result = await ctx.taiga.page<Raw>(kind.endpoint, query, { page: page.page as number, pageSize: page.pageSize });
    return { raws: result.items, paging: pageFields(result) };
  };
  if (!wantsCustom) return plain();
  const attributes = await attributesOf(ctx, kind.name as AttributeKind, project);
  const columns = args.columns === undefined ? undefined : [args.columns].flat().map((name, i) => attributeNamed(attributes, name, Array.isArray(args.columns) ? `columns.${i}` : 'columns'));
  const read = (raws: Raw[]) => valuesOf(ctx, kind, raws);
  if (args.custom !== undefined) {
    const scan = await scanPage(ctx, kind, query, page.pageSize, matcher(attributes, args.custom), cursor, read);
    return { raws: scan.raws, values: scan.values, ...(columns && { columns }), paging: scan.paging };
  }
  const result = await plain();
  const values = await read(result.raws);
  return { ...result, raws: result.raws.filter((raw) => values.has(raw)), values, ...(columns && { columns }) };
}

/** A few requests at a time: one per item, so that a page of 100 never opens 100 connections to Taiga. */
export const VALUE_READS_AT_ONCE = 6;

/**
 * The custom values of each item (by attribute id), read `VALUE_READS_AT_ONCE` at a time. An item
 * deleted since the list was read has none (404) and is left out of the map: it is no longer there.
 */
export async function valuesOf(ctx: ToolContext, kind: WorkItemKind, raws: Raw[]): Promise<Map<Raw, Raw>> {
  const out = new Map<Raw, Raw>();
  const one = async (raw: Raw): Promise<void> => {
    try {
      const row = await ctx.taiga.get<Raw>(`${kind.endpoint}/custom-attributes-values/${String(raw['id'])}`);
      out.set(raw, (row['attributes_values'] as Raw | null | undefined) ?? {});
    } catch (err) {
      if (!(err instanceof TaigaMcpError && err.code === 'NOT_FOUND')) throw err;
    }
  };
  // Stryker disable next-line EqualityOperator: one more round past the end reads nothing
  for (let i = 0; i < raws.length; i += VALUE_READS_AT_ONCE) await Promise.all(raws.slice(i, i + VALUE_READS_AT_ONCE).map(one));
  return out;
}

/** An item's asked columns that have a value, by name (an item without any has no `custom`). */
export function customOf(page: ListPage, raw: Raw): Raw {
  if (!page.columns || !page.values) return {};
  const values = page.values.get(raw) ?? {};
  const set = page.columns.filter((a) => !unset(values[String(a.id)])).map((a) => [a.name, values[String(a.id)]] as const);
  return set.length > 0 ? { custom: Object.fromEntries(set) } : {};
}

/** What the page says besides its items: its paging, and the column names when asked. */
export const pageFacts = (page: ListPage): Paging & { columns?: string[] } => ({ ...page.paging, ...(page.columns && { columns: page.columns.map((a) => a.name) }) });

/**
 * The page's table with the custom columns after the kind's own. A column's header is the
 * attribute's name as a JSON literal (user text, and never mistaken for one of ours); its cells
 * are words or JSON literals like every other cell.
 */
export function customTable(items: readonly LeanItem[], names: readonly string[], columns: readonly string[] | undefined): string {
  if (!columns?.length) return itemsTable(items, names);
  const headers = columns.map((name) => quote(name).replace(/\|/g, '\\u007c'));
  const rows = items.map((item) => {
    const values = (item['custom'] as Raw | undefined) ?? {};
    return { ...item, ...Object.fromEntries(columns.map((name, i) => [headers[i]!, values[name]])) };
  });
  return itemsTable(rows, [...names, ...headers]);
}

function invalid(field: string, why: string): TaigaMcpError {
  return new TaigaMcpError('INVALID_INPUT', { message: `${field}: ${why}.`, details: { fields: { [field]: why } } });
}
