// Build step: bundles the compiled CLI (dist/core/cli.js and what it imports, the SDK and zod
// included) into dist/core/taiga-mcp.mjs, the package's `taiga-mcp` command, and the chunks it
// imports only when used (taiga-mcp-*.mjs beside it). Loading ~250 ESM files and a few CommonJS
// trees was most of the cold start; a few files are read and compiled in a fraction of that (see `npm run bench`: the bundle, the unbundled CLI and the bare server).
// Not minified, so stack traces keep their names; the linked source map leads back to the .ts
// (`node --enable-source-maps`). It sits beside cli.js so that paths relative to it still hold.
import { build, type Plugin } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const dist = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// Chunk names carry a content hash: the previous build's would pile up beside the new ones.
for (const name of readdirSync(dist('core'))) if (/^taiga-mcp(-.+)?\.mjs(\.map)?$/.test(name)) rmSync(dist(`core/${name}`));

/**
 * undici is bundled too (the .mcpb ships no node_modules), into a chunk of its own, imported at the
 * first Taiga request (core/taiga/http.ts): a start still does not parse it. It is CommonJS, and
 * esbuild gives `import()` of a CommonJS chunk only a default export, where Node gives named ones
 * too: this ESM face of it names every export, so `const { Agent } = await import('undici')` holds.
 */
const undiciAsEsm: Plugin = {
  name: 'undici-as-esm',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-esm' }));
    b.onLoad({ filter: /.*/, namespace: 'undici-esm' }, () => ({
      contents: `import undici from ${JSON.stringify(require.resolve('undici'))};\nexport const { ${Object.keys(require('undici') as object).join(', ')} } = undici;\n`,
      resolveDir: dist('.'),
    }));
  },
};

await build({
  entryPoints: [dist('core/cli.js')],
  // The HTTP server, the Redis client, the demo and the stdio transport are imported only when
  // used: split into chunks beside the entry, so that a stdio start does not parse them.
  outdir: dist('core'),
  entryNames: 'taiga-mcp',
  chunkNames: 'taiga-mcp-[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // Positions only: stack traces name the .ts file and line without shipping every source again.
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [undiciAsEsm],
  // awilix's Node build imports fast-glob (~40 files) for loadModules, which the server never calls;
  // its browser build is the same container without it.
  alias: { awilix: require.resolve('awilix').replace(/awilix\.js$/, 'awilix.browser.mjs') },
  // Bundled CommonJS (pino, semver) calls require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
