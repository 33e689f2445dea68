/**
 * `--from-quick`: the starting point of a whole run, made from `--quick --incremental` runs.
 *
 * Stryker's incremental mode reuses a mutant's old result when its code is unchanged and, for a
 * killed mutant, the test file that killed it is unchanged; a mutant that survived (or had no
 * coverage) runs again when a test file now reaches it that did not before. A whole run started
 * from a quick run's results therefore runs only what the group's listed files did not kill,
 * against every other file that reaches it: the verdicts of a whole run without running every
 * killed mutant again. Several quick runs (of groups run apart) merge into one starting point.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
  killedBy?: string[];
  coveredBy?: string[];
}
interface TestFile { tests: { id: string; name: string }[] }
interface Report { files: Record<string, { mutants: Mutant[] } & Record<string, unknown>>; testFiles?: Record<string, TestFile> }

/** Stryker's own identity of a mutant across runs: where it is and what it does (ids are per run). */
const identity = (file: string, m: Mutant): string =>
  `${file}@${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}\n${m.mutatorName}: ${m.replacement ?? ''}`;

/** Writes to `into` the union of the incremental reports at `paths`; a mutant in two of them keeps the result that killed it. */
export function mergeQuickRuns(paths: readonly string[], into: string): void {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`--from-quick: no ${missing.join(', ')}; run those groups with --quick --incremental first`);
  const reports = paths.map((p) => JSON.parse(readFileSync(p, 'utf8')) as Report);
  const merged: Report = { ...reports[0]!, files: {}, testFiles: {} };
  const seen = new Map<string, Mutant>();
  for (const [n, report] of reports.entries()) {
    // Test ids are numbers per run ("0", "1"…): a test known to an earlier run keeps that run's id, a new one gets one of its own.
    const ids = new Map<string, string>();
    for (const [file, entry] of Object.entries(report.testFiles ?? {})) {
      const target = (merged.testFiles![file] ??= { ...entry, tests: [] });
      for (const t of entry.tests) {
        const known = target.tests.find((k) => k.name === t.name);
        ids.set(t.id, known?.id ?? `${n}.${t.id}`);
        if (!known) target.tests.push({ ...t, id: `${n}.${t.id}` });
      }
    }
    const own = (id: string): string => ids.get(id) ?? `${n}.${id}`;
    for (const [file, entry] of Object.entries(report.files)) {
      const target = (merged.files[file] ??= { ...entry, mutants: [] });
      for (const raw of entry.mutants) {
        const mutant = { ...raw, ...(raw.killedBy && { killedBy: raw.killedBy.map(own) }), ...(raw.coveredBy && { coveredBy: raw.coveredBy.map(own) }) };
        const key = identity(file, mutant);
        const before = seen.get(key);
        if (before === undefined) {
          seen.set(key, mutant);
          target.mutants.push(mutant);
        } else if (before.status !== 'Killed' && mutant.status === 'Killed') {
          target.mutants[target.mutants.indexOf(before)] = mutant;
          seen.set(key, mutant);
        }
      }
    }
  }
  writeFileSync(into, JSON.stringify(merged));
}
