/**
 * Mutation testing of the critical modules:
 *   npm run mutate [-- <group>…] [--quick] [--only=<file>:<line>[-<line>],…] [--incremental] [--from-quick[=<run>,…]] [--concurrency=N]
 * Groups are in groups.ts; without a name, all of them run (in one Stryker run: one sandbox,
 * one build, one dry run). Not part of `npm test`.
 *   --quick        only the group's listed tests: much faster, but a mutant that only an unlisted
 *                  test kills is reported as surviving
 *   --only=…       only the mutants within these lines (to re-check a survivor after writing a test)
 *   --incremental  reuse the results of the previous run for unchanged code and tests
 *   --from-quick   a whole run that starts from the results of `--quick --incremental` runs (see
 *                  from-quick.ts): only what their listed tests did not kill runs, against every
 *                  other test file that reaches it. Without a value, the quick run of the same
 *                  groups; with one, the named quick runs merged (e.g. sessions+sealing-quick,tracing-quick).
 *   --concurrency  parallel test runners (Stryker's default: the number of cores, here 2)
 *
 * How it works: Stryker copies the project into .stryker-tmp/, instruments the TypeScript
 * sources of the targets with every mutant at once (each switched on by the id in
 * `__STRYKER_ACTIVE_MUTANT__`), builds them with `tsc` and bundles the bin (the server the
 * end-to-end tests spawn) from what tsc wrote, and runs the compiled node:test files
 * with its tap runner, one process per file. A dry run records which test files reach which
 * mutant (preload.cts adds what spawned servers reach); each mutant then runs only
 * those files, in the order of groups.ts, until one fails.
 *
 * A mutant no test can tell from the original (an equivalent mutant) is marked where it lives,
 * `// Stryker disable next-line <Mutator>: why no test can see it`, and counted as Ignored, so
 * that a whole run spends its time on mutants that matter (a survivor runs every test that reaches it).
 *
 * Prints a score per group and every surviving mutant; the HTML and JSON reports are written
 * to reports/mutation/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import type { PartialStrykerOptions } from '@stryker-mutator/api/core';
import { EXCLUDED_TESTS, groups, type Target } from './groups.js';
import { mergeQuickRuns } from './from-quick.js';
import { reap } from './reap.js';

const HERE = new URL('.', import.meta.url);
/** From dist/test/mutate/ to the project root. */
const ROOT = fileURLToPath(new URL('../../../', HERE));
/** Preloaded into every test process (see preload.cts); relative to the sandbox, where tsc compiles it too. */
const PRELOAD = './dist/test/mutate/preload.cjs';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))?.replace(/^[^=]*=?/, '');
const names = args.filter((a) => !a.startsWith('--'));
for (const name of names) if (!(name in groups)) throw new Error(`no mutation group "${name}"; there are: ${Object.keys(groups).join(', ')}`);
const selected = names.length > 0 ? names : Object.keys(groups);

/** Project files, relative and with forward slashes. */
function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}${e.name}`;
    // Anywhere: node_modules, .git; at the root only: the outputs (plugins/reports/ is a plugin).
    const skipped = /^(node_modules|\.git)$/.test(e.name) || (dir === '' && /^(\.stryker-tmp|reports|coverage)$/.test(e.name));
    if (e.isDirectory()) return skipped ? [] : walk(`${rel}/`);
    return e.isFile() ? [rel] : [];
  });
}
const allFiles = walk('');

function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\/|\*\*|\*|\?/g, (m) => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' })[m] ?? m);
  return new RegExp(`^${body}$`);
}

/** Line range of a top-level `function name(`: up to the first `}` at the start of a line. */
function functionRange(file: string, name: string): { start: number; end: number } {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^(export )?(async )?function\\*? ?${name}\\b`).test(l));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('}'));
  if (start < 0 || end < 0) throw new Error(`groups.ts: no top-level function ${name} in ${file}`);
  return { start: start + 1, end: end + 1 };
}

/** Line range of a class method `name(` (two spaces in, any modifiers): up to the first `  }` after it. */
function methodRange(file: string, name: string): { start: number; end: number } {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^  ((private|protected|public|static|readonly) )*(async )?${name}\\(`).test(l));
  const end = lines.findIndex((l, i) => i > start && l === '  }');
  if (start < 0 || end < 0) throw new Error(`groups.ts: no method ${name} in ${file}`);
  return { start: start + 1, end: end + 1 };
}

/** A group's targets as Stryker `mutate` entries, plus a test of whether a mutant belongs to it. */
function resolveTargets(targets: Target[]): { mutate: string[]; owns: (file: string, line: number) => boolean } {
  const include = targets.filter((t): t is string => typeof t === 'string' && !t.startsWith('!')).map(globRegExp);
  const exclude = targets.filter((t): t is string => typeof t === 'string' && t.startsWith('!')).map((t) => globRegExp(t.slice(1)));
  const files = allFiles.filter((f) => include.some((r) => r.test(f)) && !exclude.some((r) => r.test(f)));
  const ranges = targets.flatMap((t) =>
    typeof t === 'string' ? [] : [...(t.functions ?? []).map((fn) => ({ file: t.file, ...functionRange(t.file, fn) })), ...(t.methods ?? []).map((m) => ({ file: t.file, ...methodRange(t.file, m) }))],
  );
  for (const t of targets) if (typeof t === 'string' && !t.startsWith('!') && !files.some((f) => globRegExp(t).test(f))) throw new Error(`groups.ts: ${t} matches no file`);
  return {
    mutate: [...files, ...ranges.map((r) => `${r.file}:${r.start}-${r.end}`)],
    owns: (file, line) => files.includes(file) || ranges.some((r) => r.file === file && line >= r.start && line <= r.end),
  };
}

const targets = Object.fromEntries(selected.map((name) => [name, resolveTargets(groups[name]!.mutate)]));
const listed = [...new Set(selected.flatMap((name) => groups[name]!.tests))];
for (const t of listed) if (!allFiles.includes(t)) throw new Error(`groups.ts: test file ${t} does not exist (npm run build first?)`);
/** Then every other test file (unless --quick): unit tests before the end-to-end ones, which spawn servers. */
const quick = flag('quick') !== undefined;
const others = allFiles
  .filter((f) => !quick && f.startsWith('dist/') && f.endsWith('.test.js') && !listed.includes(f) && !EXCLUDED_TESTS.includes(f))
  .sort((a, b) => Number(a.includes('/e2e/')) - Number(b.includes('/e2e/')) || a.localeCompare(b));
const labelOf = (isQuick: boolean): string => [names.length > 0 ? names.join('+') : 'all', ...(isQuick ? ['quick'] : []), ...(flag('only') === undefined ? [] : ['only'])].join('-');
const label = labelOf(quick);
const concurrency = flag('concurrency');
const incrementalFile = (name: string): string => join(ROOT, `reports/mutation/${name}.incremental.json`);
const fromQuick = flag('from-quick');
if (fromQuick !== undefined) {
  if (quick) throw new Error('--from-quick is a whole run: drop --quick');
  mergeQuickRuns((fromQuick === '' ? [labelOf(true)] : fromQuick.split(',')).map(incrementalFile), incrementalFile(label));
}

const options: PartialStrykerOptions = {
  // --only=file:line[,…] narrows the run to some mutants of the groups (to re-check a survivor).
  mutate: flag('only')?.split(',').map((m) => m.replace(/:(\d+)$/, ':$1-$1')) ?? Object.values(targets).flatMap((t) => t.mutate),
  // The sandbox compiles the instrumented sources itself (over its copy of dist/) and bundles the bin.
  buildCommand: 'node dist/test/mutate/sandbox-build.js',
  // Anchored to the root: an unanchored 'reports' also left plugins/reports/ out of the sandbox.
  ignorePatterns: ['/coverage', '/reports', '/.nyc_output'],
  testRunner: 'tap',
  tap: {
    testFiles: [...listed, ...others],
    // A test that hangs under a mutant fails after ten minutes. Without this it ran into Stryker's
    // own timeout, three times the net time of every test file reaching the mutant (a quarter of an
    // hour for a mutant of the Taiga client in a whole run). Not less: the fault matrix's timeout
    // row took over two minutes in a busy sandbox's dry run.
    nodeArgs: ['--test-reporter=tap', '--test-timeout=600000', '-r', PRELOAD, '-r', '{{hookFile}}', '{{testFile}}'],
  },
  coverageAnalysis: 'perTest',
  // Generous: with Stryker's defaults (1.5× the dry run + 5 s) a busy 2-core machine turned
  // surviving mutants into false timeouts (checked by re-running them at --concurrency=1).
  timeoutFactor: 3,
  timeoutMS: 10_000,
  // The dry run runs every test file once (minutes of end-to-end tests): Stryker's 5 minutes cut a whole run short.
  dryRunTimeoutMinutes: 45,
  plugins: ['@stryker-mutator/tap-runner', fileURLToPath(new URL('./ignore-logging.js', HERE))],
  ignorers: ['logging'],
  ...(concurrency !== undefined && { concurrency: Number(concurrency) }),
  ...((flag('incremental') !== undefined || fromQuick !== undefined) && { incremental: true, incrementalFile: relative(ROOT, incrementalFile(label)) }),
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { reportMutants: false, reportTests: false },
  htmlReporter: { fileName: `reports/mutation/${label}.html` },
  jsonReporter: { fileName: `reports/mutation/${label}.json` },
  thresholds: { high: 80, low: 60, break: null },
  tempDirName: '.stryker-tmp',
};

const started = Date.now();
process.chdir(ROOT);
const SANDBOXES = join(ROOT, options.tempDirName!);
// Orphans are reaped while the run goes on (they hold ports and CPU that later mutants need), and
// everything left in the sandbox once it ends.
const reaper = setInterval(() => reap(SANDBOXES, true), 15_000);
let reaped: number;
try {
  await new Stryker(options).runMutationTest();
} finally {
  clearInterval(reaper);
  reaped = reap(SANDBOXES, false);
}
const seconds = Math.round((Date.now() - started) / 1000);

/** The JSON report (mutation-testing-report-schema): 1-based lines and columns, paths relative to the root. */
interface Reported { mutatorName: string; replacement?: string; status: string; location: { start: { line: number; column: number } } }
const report = JSON.parse(readFileSync(join(ROOT, `reports/mutation/${label}.json`), 'utf8')) as { files: Record<string, { source: string; mutants: Reported[] }> };
const mutants = Object.entries(report.files).flatMap(([file, { source, mutants: ms }]) => ms.map((m) => ({ ...m, file, source })));

const DETECTED = new Set(['Killed', 'Timeout']);
const VALID = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
const short = (text: string, max: number): string => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};
const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

console.log(`\nMutation testing of ${selected.join(', ')}${quick ? ' (--quick: listed tests only)' : ''}: ${seconds} s in all.`);
for (const name of selected) {
  const mine = mutants.filter((m) => targets[name]!.owns(m.file, m.location.start.line));
  const count = (pred: (m: Reported) => boolean): number => mine.filter(pred).length;
  const valid = count((m) => VALID.has(m.status));
  const detected = count((m) => DETECTED.has(m.status));
  const covered = count((m) => VALID.has(m.status) && m.status !== 'NoCoverage');
  const statuses = new Map<string, number>();
  for (const m of mine) statuses.set(m.status, (statuses.get(m.status) ?? 0) + 1);
  const byStatus = [...statuses].map(([s, n]) => `${n} ${s}`).join(', ');
  console.log(`\n${name} (${groups[name]!.description})\n  ${mine.length} mutants: ${byStatus}\n  mutation score ${pct(detected, valid)} (of covered mutants: ${pct(detected, covered)})`);
  const left = mine
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .sort((a, b) => a.file.localeCompare(b.file) || a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  for (const m of left) {
    const { line, column } = m.location.start;
    const code = m.source.split('\n')[line - 1] ?? '';
    console.log(`  ${m.status === 'NoCoverage' ? 'no cover' : 'survived'}  ${m.file}:${line}:${column}  ${m.mutatorName}  ${short(code, 70)}  ⇒  ${short(m.replacement ?? '', 60)}`);
  }
}
if (reaped > 0) console.log(`\n${reaped} process(es) left running in the sandbox were stopped.`);
console.log(`\nReports: reports/mutation/${label}.html (open in a browser), reports/mutation/${label}.json`);
