import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';
import { PROJECT1_ISSUES } from '../emulator/seed-items-data.js';

/**
 * Custom attributes in the list tools (issue 16 §10), through the built server over stdio against
 * the emulator: the values a teammate set in Taiga appear as columns, a `custom` filter keeps what
 * a hand-computed answer says, and a filtered list pages with its next_page string over every item
 * once, within the scan bound.
 */
let h: Harness;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

type Item = { id: number; ref: number; custom?: Record<string, unknown> };
type Page = { items: Item[]; page: number; total: number | null; has_next: boolean; next_page?: string; scanned?: { from: number; to: number; of: number | null }; scan_limit?: number; columns?: string[] };

const text = (r: CallToolResult) => (r.content as Array<{ type: string; text: string }>).map((c) => c.text).join('\n');
const call = async (tool: string, args: Record<string, unknown>) => h.call(tool, { project_id: 1, ...args });
const list = async (tool: string, args: Record<string, unknown>) => dataOf<Page>(await call(tool, args));

/** A teammate sets custom values in Taiga itself (attribute id → value), at the row's current version. */
async function setValues(route: string, id: number, values: Record<string, unknown>): Promise<void> {
  const row = (await asTeammate(h.emulator, 'GET', `/${route}/custom-attributes-values/${id}`)).body as { version: number; attributes_values: Record<string, unknown> };
  const saved = await asTeammate(h.emulator, 'PATCH', `/${route}/custom-attributes-values/${id}`, { attributes_values: { ...row.attributes_values, ...values }, version: row.version });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
}

const sent = (pattern: RegExp) => h.emulator.requests.filter((r) => r.method === 'GET' && pattern.test(r.path)).length;

/** Every page of a filtered list, following next_page. */
async function allPages(tool: string, args: Record<string, unknown>): Promise<Page[]> {
  const pages = [await list(tool, args)];
  while (pages.at(-1)!.has_next) pages.push(await list(tool, { ...args, page: pages.at(-1)!.next_page }));
  return pages;
}

// Project 1's issue attributes (seed-attributes.ts): 1 "velit" dropdown (Low, Medium, High), 2 "fugiat optio consequuntur" checkbox, 4 "doloribus ducimus nulla" text.
const VELIT: Record<number, string> = { 3: 'High', 5: 'Low', 8: 'High', 11: 'Medium', 14: 'High', 16: 'Low' };
async function seedVelit(): Promise<void> {
  for (const [id, value] of Object.entries(VELIT)) await setValues('issues', Number(id), { 1: value });
}
/** Project 1's issues in Taiga's own order (the unfiltered list), to say where a match falls. */
const taigaOrder = async (): Promise<number[]> => (await list('list_issues', { page_size: 100 })).items.map((i) => i.id);

test('columns: the chosen attributes by name, in both renderings, user text kept inside its quotes', async () => {
  // Task attributes of project 1: 1 "libero" dropdown, 3 "esse omnis soluta" date, 4 "soluta" text; task 1 has 3 and 4 as recorded.
  await setValues('tasks', 2, { 1: 'High', 4: 'ACME | "<b>" \n end' });
  const made = await asTeammate(h.emulator, 'POST', '/task-custom-attributes', { project: 1, name: 'Team|<i>', type: 'text' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  await setValues('tasks', 3, { [(made.body as { id: number }).id]: 'Red' });
  const before = sent(/custom-attributes-values/);
  const result = await call('list_tasks', { columns: ['Soluta', 'esse omnis soluta', 'LIBERO', 'team|<i>'], page_size: 100 });
  const page = dataOf<Page>(result);
  assert.deepEqual(page.columns, ['soluta', 'esse omnis soluta', 'libero', 'Team|<i>'], 'names as Taiga spells them');
  const byId = new Map(page.items.map((i) => [i.id, i]));
  assert.deepEqual(byId.get(1)!.custom, { soluta: 'placeat quidem amet possimus ipsum recusandae perferendis', 'esse omnis soluta': '2027-10-15' });
  assert.deepEqual(byId.get(2)!.custom, { soluta: 'ACME | "<b>" \n end', libero: 'High' });
  assert.deepEqual(byId.get(3)!.custom, { 'Team|<i>': 'Red' });
  assert.equal(byId.get(4)!.custom, undefined, 'an item without values says nothing');
  assert.equal(sent(/custom-attributes-values/) - before, page.items.length, 'one values read per item of the page');
  const lines = text(result).split('\n');
  const header = lines.find((l) => l.startsWith('ref|'))!;
  assert.ok(header.includes('|id|"soluta"|"esse omnis soluta"|"libero"|"Team\\u007c\\u003ci\\u003e"|'), `attribute names are quoted headers after the own columns, | < > escaped: ${header}`);
  const row2 = lines.find((l) => l.includes('"ACME'))!;
  assert.ok(row2.includes('"ACME \\u007c \\"\\u003cb\\u003e\\" \\n end"'), `the value is a JSON literal, | < > and the line break escaped: ${row2}`);
  assert.ok(row2.includes('|High|'), row2);
  assert.ok(!text(result).includes('<b>'), 'no raw tag reaches the text');
  assert.equal(row2.split('|').length, header.split('|').length, 'the row has as many cells as the header');
});

test('no columns, no filter: no attribute or values request at all', async () => {
  const before = sent(/custom-attributes/);
  await list('list_issues', {});
  await list('list_user_stories', { status: 'New' });
  assert.equal(sent(/custom-attributes/), before);
});

test('custom: a filter checked against a hand-computed answer, with Taiga\'s own filters and in Taiga\'s order', async () => {
  await seedVelit();
  await setValues('issues', 6, { 4: 'ACME' });
  await setValues('issues', 7, { 4: '' });
  const order = await taigaOrder();
  const inOrder = (ids: number[]) => order.filter((id) => ids.includes(id));
  const page = await list('list_issues', { custom: { velit: ['high', 'Low'] }, page_size: 100 });
  assert.deepEqual(page.items.map((i) => i.id), inOrder([3, 5, 8, 14, 16]), 'a list is OR; a dropdown option matches whatever its case');
  assert.equal(page.total, null, 'the count of matches is not known without scanning everything');
  assert.equal(page.has_next, false);
  assert.deepEqual(page.scanned, { from: 1, to: 16, of: 16 });
  // With Taiga's own filters (priority High is 3, in Taiga's query) and a second attribute: AND.
  const high = PROJECT1_ISSUES.filter((r) => r[3] === 3).map((r) => r[0]);
  const both = await list('list_issues', { priority: 'High', custom: { velit: 'High' }, columns: 'velit' });
  assert.deepEqual(both.items.map((i) => i.id), inOrder([3, 8, 14].filter((id) => high.includes(id))));
  assert.ok(both.items.every((i) => i.custom?.['velit'] === 'High'));
  const unset = await list('list_issues', { custom: { velit: null, 'doloribus ducimus nulla': 'ACME' } });
  assert.deepEqual(unset.items.map((i) => i.id), [6], 'null matches an item without a value');
  const blank = await list('list_issues', { custom: { 'doloribus ducimus nulla': [null, 'ACME'] }, page_size: 100 });
  assert.deepEqual(blank.items.map((i) => i.id), order, 'an empty text is no value');
  const none = await list('list_issues', { custom: { velit: null }, page_size: 100 });
  assert.deepEqual(none.items.map((i) => i.id), inOrder(order.filter((id) => !(id in VELIT))));
});

test('paging across a filter: next_page goes on where the scan stopped, every match once, in order', async () => {
  await seedVelit();
  const order = await taigaOrder();
  const want = order.filter((id) => id in VELIT && VELIT[id] !== 'Medium');
  const reads = sent(/custom-attributes-values/);
  const lists = sent(/^\/api\/v1\/issues$/);
  const pages = await allPages('list_issues', { custom: { velit: ['High', 'Low'] }, page_size: 2 });
  assert.equal(sent(/^\/api\/v1\/issues$/) - lists, pages.length, 'one Taiga page a call: a page that filled up reads no further');
  assert.equal(sent(/custom-attributes-values/) - reads, order.length, 'each item\'s values read once over all pages: none past a page\'s last match');
  assert.deepEqual(pages.flatMap((p) => p.items.map((i) => i.id)), want, 'no match skipped or repeated');
  assert.deepEqual(pages.map((p) => p.page), pages.map((_, i) => i + 1));
  assert.ok(pages.slice(0, -1).every((p) => p.items.length === 2 && p.has_next && /^\d+\.\d+\.[0-9a-f]{8}$/.test(p.next_page!)));
  assert.ok(pages.every((p) => p.scan_limit === undefined), 'a page that filled up, or the list\'s end, is not the scan limit');
  for (let i = 1; i < pages.length; i += 1) assert.equal(pages[i]!.scanned!.from, pages[i - 1]!.scanned!.to + 1, 'each page scans on from the item after the last one scanned');
  assert.equal(pages.at(-1)!.scanned!.to, order.length);
  // A page stops at its last match: the next one starts right after it.
  assert.equal(pages[0]!.scanned!.to, order.indexOf(want[1]!) + 1);
  const last = await call('list_issues', { custom: { velit: ['High', 'Low'] }, page_size: 2, page: pages.at(-2)!.next_page });
  assert.match(text(last), /\n\(page \d+: \d+ matching custom, items \d+-16 of 16 scanned; last page\)\n/);
  const first = await call('list_issues', { custom: { velit: ['High', 'Low'] }, page_size: 2 });
  assert.ok(text(first).includes(`; next: page ${pages[0]!.next_page!})`), text(first));
});

test('the scan bound: at most 200 items a call, said, and the next page goes on from item 201', async () => {
  // Project 2's issue attributes: 10 "dropdown field", 9 "number field". 230 issues more, two of them marked.
  const made = await asTeammate(h.emulator, 'POST', '/issues/bulk_create', { project_id: 2, bulk_issues: Array.from({ length: 230 }, (_, i) => `scan ${i}`).join('\n') });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const order = (await allPlain('list_issues', { project_id: 2 })).map((i) => i.id);
  assert.ok(order.length >= 230, `${order.length} issues`);
  const marked = [order[4]!, order[219]!];
  await setValues('issues', marked[0]!, { 10: 'High', 9: 7 });
  await setValues('issues', marked[1]!, { 10: 'High', 9: '7' });
  const before = sent(/^\/api\/v1\/issues\/custom-attributes-values\//);
  const first = await list('list_issues', { project_id: 2, custom: { 'dropdown field': 'High' } });
  assert.equal(sent(/^\/api\/v1\/issues\/custom-attributes-values\//) - before, 200, 'one values read per scanned item, no more');
  assert.deepEqual(first.items.map((i) => i.id), [marked[0]]);
  assert.equal(first.scan_limit, 200);
  assert.deepEqual(first.scanned, { from: 1, to: 200, of: order.length });
  assert.equal(first.has_next, true, 'more may follow: the scan stopped at its bound');
  const firstText = text(await call('list_issues', { project_id: 2, custom: { 'dropdown field': 'High' } }));
  assert.match(firstText, /scan limit \(200 items a call\) reached; next: page 2\.200\./);
  const second = await list('list_issues', { project_id: 2, custom: { 'dropdown field': 'High' }, page: first.next_page });
  assert.deepEqual(second.items.map((i) => i.id), [marked[1]]);
  assert.deepEqual(second.scanned, { from: 201, to: order.length, of: order.length });
  assert.equal(second.has_next, false);
  assert.equal(second.scan_limit, undefined);
  // A number attribute matches by value, also when Taiga keeps it as text.
  const byNumber = await allPages('list_issues', { project_id: 2, custom: { 'number field': 7 } });
  assert.deepEqual(byNumber.flatMap((p) => p.items.map((i) => i.id)), marked);
  // A Taiga failure on a later page of the scan fails the call: it never reads as the list's end.
  h.emulator.knobs.failNext(10, { match: /^\/api\/v1\/issues\?(.*&)?page=2(&|$)/ });
  assert.equal(errorOf(await call('list_issues', { project_id: 2, custom: { 'dropdown field': 'Low' } })).code, 'TAIGA_UNAVAILABLE');
  h.emulator.knobs.clear();
  // The list shrinks below the cursor's item (Taiga: a page past the last is a 404): the list has ended.
  for (const id of order.slice(-31)) assert.equal((await asTeammate(h.emulator, 'DELETE', `/issues/${id}`)).status, 204);
  const ended = await list('list_issues', { project_id: 2, custom: { 'dropdown field': 'High' }, page: first.next_page });
  assert.deepEqual([ended.items, ended.has_next, ended.scanned], [[], false, { from: 201, to: 200, of: null }]);
  assert.match(text(await call('list_issues', { project_id: 2, custom: { 'dropdown field': 'High' }, page: first.next_page })), /\(page 2: 0 matching custom, no item scanned; last page\)/);
});

test('a number matches its text form, never an empty value; the order of custom names is not part of a list; a values read that fails fails the call', async () => {
  // Project 2's issue attributes: 10 "dropdown field", 9 "number field"; its only issues are these five.
  for (const subject of ['one', 'two', 'three', 'four', 'five']) await asTeammate(h.emulator, 'POST', '/issues', { project: 2, subject });
  const order = (await allPlain('list_issues', { project_id: 2 })).map((i) => i.id);
  await setValues('issues', order[0]!, { 9: 0, 10: 'High' });
  await setValues('issues', order[1]!, { 9: '0', 10: 'High' });
  await setValues('issues', order[2]!, { 9: '' });
  await setValues('issues', order[3]!, { 9: ' ' });
  await setValues('issues', order[4]!, { 9: '5' });
  const zero = await list('list_issues', { project_id: 2, custom: { 'number field': 0 } });
  assert.deepEqual(zero.items.map((i) => i.id), order.slice(0, 2));
  const both = { 'number field': 0, 'dropdown field': 'High' };
  const firstResult = await call('list_issues', { project_id: 2, custom: both, page_size: 1 });
  assert.deepEqual(dataOf<Page>(firstResult).scanned, { from: 1, to: 1, of: 5 });
  assert.match(text(firstResult), /items 1-1 of 5 scanned; next: page /, 'one item scanned');
  const next = dataOf<Page>(firstResult).next_page!;
  const second = await list('list_issues', { project_id: 2, custom: { 'dropdown field': 'High', 'number field': 0 }, page_size: 1, page: next });
  assert.deepEqual(second.items.map((i) => i.id), [order[1]], 'the same filter named in another order goes on');
  const twelfth = await list('list_issues', { project_id: 2, custom: both, page_size: 1, page: next.replace(/^2\./, '12.') });
  assert.deepEqual([twelfth.page, twelfth.items.map((i) => i.id)], [12, [order[1]]], 'a page ordinal of two digits');
  h.emulator.knobs.failNext(1, { status: 403, match: /custom-attributes-values/ });
  assert.equal(errorOf(await call('list_issues', { project_id: 2, columns: 'number field' })).code, 'PERMISSION_DENIED', 'not a page without the item');
});

async function allPlain(tool: string, args: Record<string, unknown>): Promise<Item[]> {
  const items: Item[] = [];
  for (let page = 1; ; page += 1) {
    const p = await list(tool, { ...args, page, page_size: 100 });
    items.push(...p.items);
    if (!p.has_next) return items;
  }
}

test('stories and epics read their own values routes', async () => {
  // Story attribute 3 "maiores harum ipsa" is a checkbox; epic attribute 3 "quod" a dropdown.
  await setValues('userstories', 2, { 3: true });
  await setValues('epics', 1, { 3: 'Low' });
  const { ref } = dataOf<Item>(await call('get_user_story', { user_story_id: 2 }));
  const stories = await list('list_user_stories', { custom: { 'maiores harum ipsa': true }, columns: ['maiores harum ipsa'], page_size: 100 });
  assert.deepEqual(stories.items.map((i) => [i.ref, i.custom]), [[ref, { 'maiores harum ipsa': true }]]);
  const epics = await list('list_epics', { custom: { quod: 'Low' } });
  assert.deepEqual(epics.items.map((i) => i.id), [1]);
});

test('unknown names, wrong values and misused pages are INVALID_INPUT, nothing read past the attribute list', async () => {
  const unknownColumn = errorOf(await call('list_issues', { columns: ['velit', 'Customer'] }));
  assert.equal(unknownColumn.code, 'INVALID_INPUT');
  assert.deepEqual((unknownColumn.details?.['valid_values'] as string[]).sort(), ['adipisci exercitationem', 'doloremque id', 'doloribus ducimus nulla', 'fugiat optio consequuntur', 'velit']);
  assert.deepEqual(unknownColumn.details?.['fields'], { 'columns.1': 'not a custom attribute of this kind in this project' });
  const unknownFilter = errorOf(await call('list_tasks', { custom: { Customer: 'ACME' } }));
  assert.equal(unknownFilter.code, 'INVALID_INPUT');
  assert.ok((unknownFilter.details?.['valid_values'] as string[]).includes('soluta'));
  assert.deepEqual(Object.keys(unknownFilter.details?.['fields'] as object), ['custom.Customer']);
  const before = sent(/custom-attributes-values/);
  const badOption = errorOf(await call('list_issues', { custom: { velit: 'Huge' } }));
  assert.equal(badOption.code, 'INVALID_INPUT');
  assert.deepEqual(badOption.details?.['valid_values'], ['Low', 'Medium', 'High']);
  assert.equal(errorOf(await call('list_issues', { custom: { velit: { high: true } } })).message, 'custom.velit: expected a value (text, number, true/false or null) or a list of them.');
  assert.deepEqual(errorOf(await call('list_issues', { columns: 'Customer' })).details?.['fields'], { columns: 'not a custom attribute of this kind in this project' });
  assert.equal(errorOf(await call('list_issues', { custom: { velit: [] } })).code, 'INVALID_INPUT');
  assert.equal(sent(/custom-attributes-values/), before, 'no values read for a refused filter');
  const numbered = errorOf(await call('list_issues', { custom: { velit: 'High' }, page: 2 }));
  assert.equal(numbered.message, 'page: a list filtered by custom goes on with the next_page string of the page before.');
  const first = await list('list_issues', { custom: { velit: null }, page_size: 1 });
  const elsewhere = errorOf(await call('list_issues', { custom: { velit: 'Low' }, page: first.next_page }));
  assert.match(elsewhere.message, /another list/);
  assert.deepEqual(elsewhere.details?.['fields'], { page: 'a next_page of another list' });
  assert.equal(errorOf(await call('list_issues', { custom: { velit: null }, page: `x${first.next_page!}` })).code, 'INVALID_INPUT', 'a next_page with something before it');
  const trailing = errorOf(await call('list_issues', { custom: { velit: null }, page: `${first.next_page!}0` }));
  assert.match((trailing.details?.['fields'] as Record<string, string>)['page']!, /expected the next_page of a filtered page/, 'a next_page with something after it');
  const unfiltered = errorOf(await call('list_issues', { page: first.next_page }));
  assert.deepEqual([unfiltered.code, Object.keys(unfiltered.details?.['fields'] as object)], ['INVALID_INPUT', ['page']], 'a next_page without its filter');
  assert.match(unfiltered.message, /next_page/);
  assert.equal(errorOf(await call('list_issues', { status: 'New', custom: { velit: null }, page: first.next_page })).code, 'INVALID_INPUT', 'other Taiga filters');
  assert.equal(errorOf(await call('list_issues', { custom: { velit: null }, page: '1.2.zz' })).code, 'INVALID_INPUT');
});

test('values are read a few at a time, and an item deleted meanwhile is left out, not a failure', async () => {
  let inFlight = 0;
  let most = 0;
  const hold = async () => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await new Promise((r) => setTimeout(r, 20));
    inFlight -= 1;
  };
  for (let i = 0; i < 16; i += 1) h.emulator.knobs.beforeNext(/\/issues\/custom-attributes-values\//, hold);
  const page = await list('list_issues', { columns: 'velit', page_size: 100 });
  assert.equal(page.items.length, 16);
  assert.ok(most <= 6, `at most 6 values reads at once (saw ${most})`);
  // A teammate deletes issue 9 after the list was read, before its values are.
  h.emulator.knobs.beforeNext(/\/issues\/custom-attributes-values\/9$/, async () => void (await asTeammate(h.emulator, 'DELETE', '/issues/9')));
  const after = await list('list_issues', { columns: 'velit', page_size: 100 });
  assert.deepEqual(after.items.map((i) => i.id), page.items.map((i) => i.id).filter((id) => id !== 9));
  h.emulator.knobs.beforeNext(/\/issues\/custom-attributes-values\/10$/, async () => void (await asTeammate(h.emulator, 'DELETE', '/issues/10')));
  const filtered = await list('list_issues', { custom: { velit: null }, page_size: 100 });
  assert.deepEqual(filtered.items.map((i) => i.id), page.items.map((i) => i.id).filter((id) => id !== 9 && id !== 10));
  // A filtered scan reads as many values at once as the page still needs, within the same bound.
  most = 0;
  for (let i = 0; i < 16; i += 1) h.emulator.knobs.beforeNext(/\/issues\/custom-attributes-values\//, hold);
  await list('list_issues', { custom: { velit: null }, page_size: 100 });
  assert.ok(most > 1 && most <= 6, `2 to 6 values reads at once in a scan (saw ${most})`);
});
