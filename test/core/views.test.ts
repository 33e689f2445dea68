import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEW_MIME_TYPE, VIEWS, ViewResources } from '../../core/views.js';

const ALL = new Set(VIEWS.flatMap((v) => [...v.shows, ...v.calls]));
const textOf = (r: ReturnType<ViewResources['read']>) => String((r!.contents[0] as { text: string }).text);

test('every view is offered while one of the tools it shows is enabled, and read as exactly one HTML content', () => {
  const views = new ViewResources((t) => ALL.has(t));
  assert.deepEqual(views.list().map((r) => [r.uri, r.mimeType]), VIEWS.map((v) => [v.uri, VIEW_MIME_TYPE]));
  for (const v of VIEWS) {
    const read = views.read(v.uri)!;
    assert.equal(read.contents.length, 1);
    assert.equal(read.contents[0]!.mimeType, VIEW_MIME_TYPE);
    assert.match(textOf(read), /^<!doctype html>/);
  }
  assert.equal(views.read('ui://taiga-mcp/nothing'), undefined);
});

test('a view whose tools are all disabled is neither listed nor read', () => {
  const views = new ViewResources((t) => t === 'get_project' || t === 'list_issues');
  assert.deepEqual(views.list().map((r) => r.uri), ['ui://taiga-mcp/project']);
  assert.equal(views.read('ui://taiga-mcp/sprint'), undefined);
  assert.equal(views.read('ui://taiga-mcp/item'), undefined);
  assert.match(textOf(views.read('ui://taiga-mcp/project')), /<html lang="en" data-taiga-tools="list_issues">/);
});

test('the page names only the enabled tools a view may call: without update_user_story the board cannot move cards', () => {
  const views = new ViewResources((t) => ALL.has(t) && t !== 'update_user_story');
  assert.match(textOf(views.read('ui://taiga-mcp/sprint')), /data-taiga-tools="get_sprint get_project list_user_stories list_tasks"/);
});
