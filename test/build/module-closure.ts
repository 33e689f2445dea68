// What a set of built entry points loads, file by file: what a package or a bundle must ship so
// that they run (or type-check), and nothing else.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Relative references in built JavaScript and declarations: `from './x.js'`, `import './x.js'`,
 * `import('./x.js')` (also a type's `import("./x.js").T`), and `new URL('./x', import.meta.url)`,
 * how the code reaches files it loads by path (the demo Taiga, tool-descriptors.json, the pages of
 * the MCP Apps views). Node needs the extension in an ESM import, so a name without one (a JSDoc
 * type in bundled undici) is not a file.
 */
const REFERENCE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bnew URL\(\s*)(['"])(\.{1,2}\/[^'"\s]+\.(?:m?js|json|html))\1/g;

/** A line of a comment: bundled libraries keep JSDoc types such as `import('../types/client.js')`. */
const COMMENT_LINE = /^\s*(\*|\/\/|\/\*)/;

/**
 * Every file reached from `entries` (paths under `root`), as paths relative to `root` with `/`,
 * sorted. `kind: 'types'` follows declarations: `./x.js` names `./x.d.ts`. A reference to a file
 * that does not exist throws: a build that ships it would fail where it is installed. Files that
 * `leaveOut` matches are not followed, nor what only they reach.
 */
export function moduleClosure(root: string, entries: readonly string[], kind: 'code' | 'types' = 'code', leaveOut?: RegExp): string[] {
  const seen = new Set<string>();
  const pending = entries.map((entry) => resolve(root, entry));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || leaveOut?.test(relative(root, file).split(sep).join('/'))) continue;
    if (!existsSync(file)) throw new Error(`${relative(root, file)} is referenced but missing`);
    seen.add(file);
    if (!/\.(m?js|d\.ts)$/.test(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (COMMENT_LINE.test(line)) continue;
      for (const match of line.matchAll(REFERENCE)) {
        const target = resolve(dirname(file), match[2]!);
        pending.push(kind === 'types' ? target.replace(/\.js$/, '.d.ts') : target);
      }
    }
  }
  return [...seen].map((file) => relative(root, file).split(sep).join('/')).sort();
}
