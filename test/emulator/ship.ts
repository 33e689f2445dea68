// Build step: copies the compiled emulator (not its tests) to dist/demo/emulator, which the npm
// package ships, so that `taiga-mcp --demo` works from an installed copy without the test tree.
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('.', import.meta.url));
const to = fileURLToPath(new URL('../../demo/emulator/', import.meta.url));
const TEST_ONLY = /(\.test\.js|^replay-[\w-]+\.js|^ship\.js)$/;

function copy(dir: string): number {
  let count = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) count += copy(path);
    else if (name.endsWith('.js') && !TEST_ONLY.test(name)) {
      const target = join(to, relative(from, path));
      mkdirSync(join(target, '..'), { recursive: true });
      cpSync(path, target);
      count += 1;
    }
  }
  return count;
}

rmSync(to, { recursive: true, force: true });
process.stdout.write(`demo emulator: ${copy(from)} files → ${relative(process.cwd(), to)}\n`);
