import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeQuickRuns } from './from-quick.js';

const at = (line: number, column: number) => ({ start: { line, column }, end: { line, column: column + 5 } });
const mutant = (id: string, line: number, status: string, replacement = 'false') => ({ id, mutatorName: 'ConditionalExpression', replacement, status, location: at(line, 3) });

test('mergeQuickRuns: the union of the runs, a mutant known twice keeps the result that killed it, tests from both', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'from-quick-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, JSON.stringify({
    schemaVersion: '2',
    files: { 'core/x.ts': { language: 'typescript', source: 'x', mutants: [mutant('1', 1, 'Survived'), mutant('2', 2, 'Killed')] } },
    testFiles: { 'dist/test/a.test.js': { tests: [{ id: 'dist/test/a.test.js', name: 'dist/test/a.test.js' }] } },
  }));
  writeFileSync(b, JSON.stringify({
    schemaVersion: '2',
    files: {
      // the same mutant as a's first (ids are per run), killed here; and one a does not have
      'core/x.ts': { language: 'typescript', source: 'x', mutants: [mutant('1', 1, 'Killed'), mutant('7', 1, 'Survived', 'true'), mutant('2', 2, 'Survived')] },
      'core/y.ts': { language: 'typescript', source: 'y', mutants: [mutant('3', 4, 'NoCoverage')] },
    },
    testFiles: { 'dist/test/b.test.js': { tests: [{ id: 'dist/test/b.test.js', name: 'dist/test/b.test.js' }] } },
  }));
  const into = join(dir, 'merged.json');
  mergeQuickRuns([a, b], into);
  const merged = JSON.parse(readFileSync(into, 'utf8')) as { schemaVersion: string; files: Record<string, { mutants: { replacement: string; status: string; location: ReturnType<typeof at> }[] }>; testFiles: object };
  assert.equal(merged.schemaVersion, '2');
  assert.deepEqual(
    merged.files['core/x.ts']!.mutants.map((m) => `${m.location.start.line}:${m.replacement}:${m.status}`),
    ['1:false:Killed', '2:false:Killed', '1:true:Survived'],
  );
  assert.deepEqual(merged.files['core/y.ts']!.mutants.map((m) => m.status), ['NoCoverage']);
  assert.deepEqual(Object.keys(merged.testFiles).sort(), ['dist/test/a.test.js', 'dist/test/b.test.js']);
});

test('mergeQuickRuns: a run that was not made is named, nothing is written', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'from-quick-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => mergeQuickRuns([join(dir, 'tracing-quick.incremental.json')], join(dir, 'out.json')), /no .*tracing-quick\.incremental\.json; run those groups with --quick --incremental first/);
  assert.throws(() => readFileSync(join(dir, 'out.json')), /ENOENT/);
});
