import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeQuickRuns } from './from-quick.js';

const at = (line: number, column: number) => ({ start: { line, column }, end: { line, column: column + 5 } });
const mutant = (id: string, line: number, status: string, replacement = 'false') => ({ id, mutatorName: 'ConditionalExpression', replacement, status, location: at(line, 3) });

test('mergeQuickRuns: the union of the runs, a mutant known twice keeps the result that killed it, each test id still names its file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'from-quick-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  const tests = (...files: string[]) => Object.fromEntries(files.map((f, i) => [f, { source: f, tests: [{ id: String(i), name: f }] }]));
  // Test ids are per run: "0" is a.test in the first run and s.test in the second.
  writeFileSync(a, JSON.stringify({
    schemaVersion: '2',
    files: { 'core/x.ts': { language: 'typescript', source: 'x', mutants: [mutant('1', 1, 'Survived'), { ...mutant('2', 2, 'Killed'), killedBy: ['1'], coveredBy: ['0', '1'] }] } },
    testFiles: tests('a.test.js', 's.test.js'),
  }));
  writeFileSync(b, JSON.stringify({
    schemaVersion: '2',
    files: {
      // the same mutant as a's first (ids are per run), killed here; and one a does not have
      'core/x.ts': { language: 'typescript', source: 'x', mutants: [{ ...mutant('1', 1, 'Killed'), killedBy: ['1'], coveredBy: ['0', '1'] }, mutant('7', 1, 'Survived', 'true'), mutant('2', 2, 'Survived')] },
      'core/y.ts': { language: 'typescript', source: 'y', mutants: [{ ...mutant('3', 4, 'Killed'), killedBy: ['0'] }] },
    },
    testFiles: tests('s.test.js', 'b.test.js'),
  }));
  const into = join(dir, 'merged.json');
  mergeQuickRuns([a, b], into);
  type Merged = { schemaVersion: string; files: Record<string, { mutants: { replacement: string; status: string; killedBy?: string[]; coveredBy?: string[]; location: ReturnType<typeof at> }[] }>; testFiles: Record<string, { tests: { id: string; name: string }[] }> };
  const merged = JSON.parse(readFileSync(into, 'utf8')) as Merged;
  assert.equal(merged.schemaVersion, '2');
  const testOf = new Map(Object.values(merged.testFiles).flatMap((f) => f.tests.map((x) => [x.id, x.name] as const)));
  assert.equal(testOf.size, 3, 'one test per file, each id once');
  const names = (ids: string[] | undefined) => (ids ?? []).map((id) => testOf.get(id) ?? `unknown id ${id}`);
  const x = merged.files['core/x.ts']!.mutants;
  assert.deepEqual(x.map((m) => `${m.location.start.line}:${m.replacement}:${m.status}`), ['1:false:Killed', '2:false:Killed', '1:true:Survived']);
  assert.deepEqual(names(x[0]!.killedBy), ['b.test.js']);
  assert.deepEqual(names(x[0]!.coveredBy), ['s.test.js', 'b.test.js']);
  assert.deepEqual(names(x[1]!.killedBy), ['s.test.js']);
  assert.deepEqual(names(merged.files['core/y.ts']!.mutants[0]!.killedBy), ['s.test.js']);
});

test('mergeQuickRuns: a run that was not made is named, nothing is written', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'from-quick-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => mergeQuickRuns([join(dir, 'tracing-quick.incremental.json')], join(dir, 'out.json')), /no .*tracing-quick\.incremental\.json; run those groups with --quick --incremental first/);
  assert.throws(() => readFileSync(join(dir, 'out.json')), /ENOENT/);
});
