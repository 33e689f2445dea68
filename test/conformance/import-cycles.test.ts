import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../helpers/stdio-harness.js';

/** core/ and plugins/ sources (relative paths) → the sources each imports, `import type` included. */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
    }
  };
  walk('core');
  walk('plugins');
  const graph = new Map<string, string[]>();
  for (const file of files) {
    // Every import and export-from, type-only or not, and import() (in code and in types).
    const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const local = importedFiles.map((i) => i.fileName).filter((name) => name.startsWith('.'));
    const deps = local.map((name) => relative(ROOT, resolve(ROOT, dirname(file), name.replace(/\.js$/, '.ts'))));
    graph.set(file, [...new Set(deps)].filter((dep) => files.includes(dep)));
  }
  return graph;
}

/** Each import cycle once, as the files along it (depth-first: a back edge closes a cycle). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') found.push([...path.slice(path.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return found;
}

test('core/ and plugins/ have no import cycle (type-only imports count: a circle of types is a circle of design)', () => {
  const graph = importGraph();
  assert.ok(graph.size > 100 && [...graph.values()].some((deps) => deps.length > 3), 'the sources and their imports were found');
  assert.deepEqual(cycles(graph).map((c) => c.join(' → ')), []);
});

test('the cycle finder finds a cycle, type-only or through several files', () => {
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c', 'a']]);
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', []], ['c', ['a', 'b']]])), []);
});
