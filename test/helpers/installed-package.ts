import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './stdio-harness.js';

const run = promisify(execFile);

/** The environment of a user's shell: none of this test run's (TAIGA_*, npm_*, the test runner's, the tests' Redis). */
export const USER_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('TAIGA_') && !k.startsWith('npm_') && k !== 'NODE_TEST_CONTEXT' && k !== 'REDIS_URL'),
) as Record<string, string>;

export interface InstalledPackage {
  /** The folder it was installed into (its node_modules holds the package and its dependencies). */
  dir: string;
  /** `node_modules/.bin/taiga-mcp`: the command the package's `bin` installs. */
  bin: string;
  /** The paths the tarball holds. */
  files: string[];
}

/**
 * The published package on its own: packed, installed from the tarball into an empty folder, so
 * that nothing in the repository (the test tree, dist/test, a file the `files` list leaves out)
 * can make it work. dist/ must be built already.
 */
export async function installPackedPackage(): Promise<InstalledPackage> {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-installed-'));
  // --ignore-scripts keeps `prepare` from rebuilding dist/ under the running tests.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, env: USER_ENV, maxBuffer: 64 * 1024 * 1024 });
  const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: Array<{ path: string }> }];
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'empty-folder', version: '1.0.0', private: true, type: 'module' }));
  await run('npm', ['install', join(dir, filename), '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], { cwd: dir, env: USER_ENV, maxBuffer: 64 * 1024 * 1024 });
  return { dir, bin: join(dir, 'node_modules', '.bin', 'taiga-mcp'), files: files.map((f) => f.path) };
}
