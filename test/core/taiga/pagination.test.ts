import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TaigaHttp } from '../../../core/taiga/http.js';
import { startFakeTaiga, sendJson, fixture, type FakeTaiga } from './fake-taiga.js';

let fake: FakeTaiga;
let http: TaigaHttp;

before(async () => {
  fake = await startFakeTaiga();
  http = new TaigaHttp({ baseUrl: fake.baseUrl, timeoutMs: 2000, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
});
after(async () => {
  await http.close();
  await fake.close();
});

/** Serves `count` items the way taiga-back paginates them (§4): headers only, 404 past the last page. */
function paginated(count: number, opts: { lazy?: boolean } = {}): void {
  fake.received.length = 0;
  fake.handle((req, res) => {
    const url = new URL(req.url, 'http://x');
    const size = Math.min(Number(url.searchParams.get('page_size') ?? 30) || 30, 1000);
    const page = Number(url.searchParams.get('page') ?? 1);
    const pages = Math.max(1, Math.ceil(count / size));
    if (!(page >= 1 && page <= pages)) {
      sendJson(res, 404, { _error_message: "Page is not 'last', nor can it be converted to an int." });
      return;
    }
    const start = (page - 1) * size;
    const items = Array.from({ length: Math.min(size, count - start) }, (_, i) => ({ id: start + i + 1 }));
    const next = new URL(url.toString());
    next.searchParams.set('page', String(page + 1));
    sendJson(res, 200, items, {
      'x-paginated': 'true',
      'x-paginated-by': String(size),
      'x-pagination-current': String(page),
      ...(!opts.lazy && { 'x-pagination-count': String(count) }),
      ...(page < pages && { 'x-pagination-next': `http://127.0.0.1${next.pathname}${next.search}` }),
    });
  });
}

test('getPage reads the pagination headers (recorded page 3 of 7 at size 5)', async () => {
  const recorded = fixture('pagination', 'list-page-size-5-page-3');
  fake.handle((_, res) => sendJson(res, 200, recorded.body, recorded.headers));
  fake.received.length = 0;
  const page = await http.getPage<{ id: number }>('/userstories', { project: 1 }, { page: 3, pageSize: 5 });
  assert.equal(fake.received[0]?.url, '/api/v1/userstories?project=1&page=3&page_size=5');
  assert.equal(page.items.length, 5);
  assert.equal(page.page, 3);
  assert.equal(page.pageSize, 5);
  assert.equal(page.total, 34);
  assert.equal(page.hasNext, true);
});

test('getPage: the last page has no next; a lazy page has no total; size is what Taiga used', async () => {
  const last = fixture('pagination', 'list-page-2');
  fake.handle((_, res) => sendJson(res, 200, last.body, last.headers));
  const page2 = await http.getPage('/userstories', { project: 1 }, { page: 2, pageSize: 30 });
  assert.equal(page2.hasNext, false);
  assert.equal(page2.total, 34);

  const lazy = fixture('pagination', 'list-lazy-pagination');
  fake.handle((_, res) => sendJson(res, 200, lazy.body, lazy.headers));
  const lazyPage = await http.getPage('/userstories', { project: 1 }, { page: 1, pageSize: 30 });
  assert.equal(lazyPage.total, null);
  assert.equal(lazyPage.hasNext, true);

  const capped = fixture('pagination', 'list-page-size-2000');
  fake.handle((_, res) => sendJson(res, 200, capped.body, capped.headers));
  assert.equal((await http.getPage('/userstories', {}, { page: 1, pageSize: 2000 })).pageSize, 1000);
});

test('getPage on an endpoint that does not paginate returns the whole array', async () => {
  fake.handle((_, res) => sendJson(res, 200, [{ id: 1 }, { id: 2 }]));
  const page = await http.getPage('/userstories/filters_data', {}, { page: 1, pageSize: 100 });
  assert.deepEqual(page, { items: [{ id: 1 }, { id: 2 }], page: 1, pageSize: 2, total: 2, hasNext: false });
});

test('getAll follows several pages of 100 without x-disable-pagination', async () => {
  paginated(250);
  const all = await http.getAll<{ id: number }>('/userstories', { project: 1 });
  assert.equal(all.items.length, 250);
  assert.equal(all.items.at(-1)?.id, 250);
  assert.equal(all.total, 250);
  assert.equal(all.truncated, false);
  assert.deepEqual(
    fake.received.map((r) => r.url),
    [1, 2, 3].map((p) => `/api/v1/userstories?project=1&page=${p}&page_size=100`),
  );
  assert.ok(fake.received.every((r) => r.headers['x-disable-pagination'] === undefined));
  // Page 1 brings the count; Taiga is spared the COUNT for the pages after it.
  assert.deepEqual(fake.received.map((r) => r.headers['x-lazy-pagination']), [undefined, 'true', 'true']);
});

test('getAll stops at the cap and says truncated', async () => {
  paginated(250);
  const all = await http.getAll('/userstories', {}, { cap: 150 });
  assert.equal(all.items.length, 150);
  assert.equal(all.total, 250);
  assert.equal(all.truncated, true);
  assert.equal(fake.received.length, 2);

  paginated(250);
  const small = await http.getAll('/userstories', {}, { cap: 5 });
  assert.equal(small.items.length, 5);
  assert.equal(small.truncated, true);
  assert.equal(fake.received[0]?.url, '/api/v1/userstories?page=1&page_size=5');
});

test('getAll: exactly `cap` items is not truncated; an empty list is fine; lazy lists still end', async () => {
  paginated(200);
  const exact = await http.getAll('/userstories', {}, { cap: 200 });
  assert.equal(exact.items.length, 200);
  assert.equal(exact.truncated, false);

  paginated(0);
  assert.deepEqual(await http.getAll('/userstories', {}), { items: [], total: 0, truncated: false });

  paginated(130, { lazy: true });
  const lazy = await http.getAll('/userstories', {});
  assert.equal(lazy.items.length, 130);
  assert.equal(lazy.total, 130);
  assert.equal(lazy.truncated, false);
});

test('the default cap is 1000', async () => {
  paginated(1200);
  const all = await http.getAll('/userstories', {});
  assert.equal(all.items.length, 1000);
  assert.equal(all.total, 1200);
  assert.equal(all.truncated, true);
  assert.equal(fake.received.length, 10);
});
