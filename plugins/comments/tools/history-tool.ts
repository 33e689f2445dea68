import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { Page, PageSize, pageFields, PagingOutput } from '../../../core/schemas.js';
import { block, json, word } from '../../../core/render/untrusted.js';
import { pagingText, READ } from '../../../core/work-items/index.js';
import { ItemEntries, loadTarget } from '../../item-targets.js';
import { entryHead } from '../entry.js';

type Raw = Record<string, unknown>;
const LONG = 200;

const Entry = v.object({ id: v.string(), user: v.optional(v.string()), date: v.string(), changes: v.optional(v.record(v.string(), v.tuple([v.unknown(), v.unknown()]))), comment: v.optional(v.string()) });
type LeanEntry = v.InferOutput<typeof Entry>;

/** Long texts (descriptions, wiki content) are cut in the diff: the item itself has the whole text. */
const short = (value: unknown): unknown => (typeof value === 'string' && value.length > LONG ? `${value.slice(0, LONG)}… (${value.length} characters)` : value);

/** Taiga's `values_diff` has names where `diff` has ids (statuses, users, sprints); it wins where it has the key. */
function leanEntry(e: Raw): LeanEntry {
  const diff = { ...((e['diff'] as Raw | null) ?? {}), ...((e['values_diff'] as Raw | null) ?? {}) };
  const changes = Object.fromEntries(Object.entries(diff).filter(([k, pair]) => !k.endsWith('_html') && Array.isArray(pair) && pair.length === 2).map(([k, pair]) => [k, [(pair as unknown[]).map(short)[0], (pair as unknown[]).map(short)[1]]]));
  const comment = e['delete_comment_date'] ? undefined : (e['comment'] as string | undefined) || undefined;
  return {
    ...entryHead(e),
    ...(Object.keys(changes).length > 0 && { changes: changes as LeanEntry['changes'] }),
    ...(comment !== undefined && { comment }),
  };
}

const entryText = (e: LeanEntry): string =>
  [`${e.date} ${e.user ? `@${word(e.user)}` : ''}`.trim(), ...Object.entries(e.changes ?? {}).map(([k, [from, to]]) => `${k}: ${json(from)} → ${json(to)}`)].join(' ') + (e.comment ? `\ncomment:\n${block(e.comment)}` : '');

export const getHistory = defineTool({
  name: 'get_history',
  title: 'Get history',
  description: 'Who changed what on an item, and when, newest first: a compact diff per change.',
  input: v.strictObject({ ...ItemEntries, page: Page, page_size: PageSize }),
  output: v.object({ items: v.array(Entry), ...PagingOutput }),
  annotations: READ,
  async handler({ page, page_size, ...args }, ctx) {
    const { history } = await loadTarget(ctx, args);
    const result = await ctx.taiga.page<Raw>(history, {}, { page, pageSize: page_size });
    return { items: result.items.map(leanEntry), ...pageFields(result) };
  },
  render: (r) => [...r.items.map(entryText), pagingText(r)].join('\n'),
});
