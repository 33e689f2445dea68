/**
 * Loaded with `-r` into every test process that Stryker starts (before Stryker's own hook; see
 * run.ts). Three jobs:
 *
 * 1. Load undici now. The HTTP client imports it lazily at its first request, inside that
 *    request's deadline, and retry-timeout.test.js gives its client a 300 ms deadline: on a busy
 *    machine (and mutation testing keeps it busy) the import alone overran it, so the file's
 *    first test failed without any mutant (5 runs in 6 under load) and mutants were "killed" by
 *    accident. Preloaded, the lazy import finds it in the module cache.
 *
 * 2. Make the per-test-file coverage of the dry run include the child processes a test file
 *    spawns (the end-to-end tests run the bundled `bin` in a child). Stryker's tap runner only
 *    sees the test process's own coverage, so a mutant reached only in a child would count as
 *    "no coverage" and never run. During the dry run this file puts itself in NODE_OPTIONS, so
 *    that every descendant loads it too; a descendant writes what its instrumented code counted
 *    to a file at exit, and the test process adds those counts to its own just before Stryker's
 *    hook saves them. Activating a mutant needs none of this: every child inherits
 *    `__STRYKER_ACTIVE_MUTANT__` from the environment.
 *
 * 3. End a unit test file that a mutant makes hang. Its tests run in seconds, but the per-test
 *    timeout is the end-to-end tests' ten minutes (run.ts), and Stryker's own timeout is larger
 *    still: it adds up the time of every file that reaches the mutant, and nearly every end-to-end
 *    file reaches session code. A store mutant that never resolved a promise held a runner for ten
 *    minutes. Past UNIT_HANG_MS the file fails, which detects the mutant as a timeout would.
 */
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');

type Counts = Record<string, number>;
interface Namespace { mutantCoverage?: { static: Counts; perTest: Record<string, Counts> } }

/** Not TAIGA_*: the server names unknown TAIGA_* variables at start, and cli.test.ts checks that list. */
const DIR = 'MUTATE_CHILD_COVERAGE_DIR';
const g = globalThis as unknown as Record<string, Namespace | undefined>;
/**
 * A unit test file takes seconds: the slowest, redis-cluster-failover, 22 s on an idle machine and
 * 21 s beside a mutation run (Sentinel 17 s, redis-connection 11 s). A loaded sandbox gets four times
 * the slowest. Not more: a connection mutant that leaves Redis clients open hangs redis-connection's
 * file until this ends, and over a hundred of them run in a sessions run (at 180 s they took most of it).
 */
const UNIT_HANG_MS = 90_000;
const ns = (): Namespace | undefined => g[process.env['STRYKER_NAMESPACE'] ?? '__stryker__'];

function add(into: Counts, from: Counts): void {
  for (const [id, n] of Object.entries(from)) into[id] = (into[id] ?? 0) + n;
}

const inherited = process.env[DIR];
if (inherited !== undefined) {
  // A descendant: hand over what it counted (children have no per-test ids: all of it is "static").
  process.on('exit', () => {
    const cov = ns()?.mutantCoverage;
    if (!cov) return;
    const all: Counts = { ...cov.static };
    for (const counts of Object.values(cov.perTest)) add(all, counts);
    if (Object.keys(all).length > 0) fs.writeFileSync(path.join(inherited, `${process.pid}.json`), JSON.stringify(all));
  });
} else {
  require('undici');
  const file = path.relative(process.cwd(), process.argv[1] ?? '').split(path.sep).join('/');
  if (process.env['__STRYKER_ACTIVE_MUTANT__'] !== undefined && /^dist\/test\/(core|plugins|emulator)\//.test(file)) {
    setTimeout(() => {
      process.stderr.write(`${file}: still running after ${UNIT_HANG_MS / 1000} s under mutant ${process.env['__STRYKER_ACTIVE_MUTANT__']}: a hang\n`);
      process.exit(1);
    }, UNIT_HANG_MS).unref();
  }
  if (process.env['STRYKER_DRY_RUN'] === 'true') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taiga-mcp-mutate-'));
    process.env[DIR] = dir;
    process.env['NODE_OPTIONS'] = `${process.env['NODE_OPTIONS'] ?? ''} --require ${JSON.stringify(__filename)}`.trim();
    // Registered before Stryker's hook (which is loaded after this file), so it runs first.
    process.on('exit', () => {
      const space = ns();
      if (space) {
        space.mutantCoverage ??= { static: {}, perTest: {} };
        for (const file of fs.readdirSync(dir)) add(space.mutantCoverage.static, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Counts);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
}
