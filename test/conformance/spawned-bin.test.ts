import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT } from '../helpers/stdio-harness.js';

// Every test that starts a server starts what the package ships: the harness's CLI. Only the build
// (which makes the bundle from cli.js) and the bench (whose reference row times cli.js on purpose)
// find the unbundled entry: by a path relative to themselves, or a path segment of its own.
const MAY_RUN_CLI_JS = ['test/build/', 'test/bench/', 'test/conformance/spawned-bin.test.ts'];
const PATH_TO_CLI_JS = /\.\.\/(?:[\w-]+\/)*cli\.js|['"]cli\.js['"]/;

test("the harness's CLI is the file package.json's bin names, and it is built", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(CLI, join(ROOT, pkg.bin['taiga-mcp']!));
  assert.match(CLI, /\.mjs$/, 'the bundle');
  assert.ok(existsSync(CLI));
});

test('no test, example or script but the build and the bench runs dist/core/cli.js', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(path);
      } else if (/\.(ts|cts|mts|sh)$/.test(e.name)) files.push(path);
    }
  };
  walk('test');
  walk('examples');
  assert.ok(files.length > 50);
  assert.ok(PATH_TO_CLI_JS.test("new URL('../../core/cli.js', import.meta.url)") && PATH_TO_CLI_JS.test('"$here/../../dist/core/cli.js"') && PATH_TO_CLI_JS.test("join(dist, 'cli.js')"));
  const running = files.filter((f) => !MAY_RUN_CLI_JS.some((dir) => f.startsWith(dir)) && PATH_TO_CLI_JS.test(readFileSync(join(ROOT, f), 'utf8')));
  assert.deepEqual(running, []);
});
