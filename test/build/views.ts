// The MCP Apps views as self-contained HTML: each view's TypeScript (views/<name>/main.ts, with the
// official App class of @modelcontextprotocol/ext-apps) bundled and minified by esbuild, its CSS, all
// inlined into one page. Nothing is fetched at run time: no script, style, font or image URL.
import { build, transform, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOLS_PLACEHOLDER, VIEWS } from '../../core/views.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const VIEW_NAMES = VIEWS.map((v) => v.name);

/** zod modules that only zod's namespace re-exports and nothing in zod, the SDK or the App calls: `z.compile` and `z.fromJSONSchema`. */
const LEFT_OUT = /[\\/]zod[\\/]v4[\\/](core[\\/]compile|classic[\\/]from-json-schema)\.js$/;

async function exportsOf(path: string): Promise<string[]> {
  const r = await build({ entryPoints: [path], bundle: false, write: false, metafile: true, format: 'esm', logLevel: 'silent' });
  return Object.values(r.metafile.outputs)[0]!.exports;
}

/** A module with the same export names, each a function that throws if it is ever called. */
const leftOutModule = (names: readonly string[]): string =>
  `function leftOut() { throw new Error("this part of zod is left out of taiga-mcp's views"); }\nexport { ${names.map((n) => `leftOut as ${n}`).join(', ')} };\n`;

/**
 * What of the App class's dependencies a view never runs (the App alone bundles to 649 KiB):
 * - zod's error messages in 40 languages (255 KiB): the App parses the host's messages with zod,
 *   whose English messages are imported on their own; the others are reachable only through
 *   `z.locales`, which nothing calls;
 * - `z.compile` and `z.fromJSONSchema` (44 KiB), likewise reachable only through zod's namespace;
 * - modules of the MCP SDK that the App does not import from, kept only because the SDK's
 *   packages do not declare themselves free of side effects (the client's OAuth helpers, its
 *   Cloudflare-Workers JSON Schema validator, 70 KiB).
 */
export function trimAppDependencies(): Plugin {
  return {
    name: 'trim-app-dependencies',
    setup(b) {
      b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: dirname(args.path) }));
      b.onLoad({ filter: LEFT_OUT }, async (args) => ({ contents: leftOutModule(await exportsOf(args.path)), resolveDir: dirname(args.path) }));
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'trim' || !/^(\.|@modelcontextprotocol\/(client|core)\b)/.test(args.path)) return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'trim' });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return /[\\/]node_modules[\\/]@modelcontextprotocol[\\/](client|core)[\\/]/.test(resolved.path) ? { ...resolved, sideEffects: false } : resolved;
      });
    },
  };
}

/**
 * JS placed inside <script>…</script>. The HTML parser, not JS, decides where the element ends: the
 * first "</script" closes it, and "<!--" followed by "<script" makes it swallow what follows. In a
 * string, template or regex (the only places these can occur in minified code), `<\/` and `\x3C`
 * mean the same characters to JS.
 */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<(!--|script)/gi, '\\x3C$1');
}

/** CSS placed inside <style>: ours, with no user text, but "</style" would end the element all the same. */
export function inlineStyle(css: string): string {
  if (/<\/style/i.test(css)) throw new Error('inline style holds </style');
  return css;
}

const TITLES: Record<string, string> = { sprint: 'Taiga sprint', project: 'Taiga project', item: 'Taiga item' };

/** The page around a view's script and style; the server writes the enabled tools into TOOLS_PLACEHOLDER. */
export function page(title: string, css: string, js: string): string {
  return [
    '<!doctype html>',
    `<html lang="en" ${TOOLS_PLACEHOLDER}>`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title><style>${inlineStyle(css)}</style></head>`,
    '<body><main id="app" aria-busy="true"><p class="note">Waiting for the tool result…</p></main>',
    `<script>${inlineScript(js)}</script></body></html>`,
    '',
  ].join('\n');
}

export interface BuiltView {
  name: string;
  html: string;
  js_bytes: number;
  css_bytes: number;
  /** Bytes of the bundled script that came from each package (and from the view's own code). */
  by_package: Record<string, number>;
}

const packageOf = (input: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return m ? m[1]! : 'view code';
};

/** Bundles one view (an entry under views/, or any other entry for tests) into its page. */
export async function bundleView(name: string, opts: { trim?: boolean; entry?: string } = {}): Promise<BuiltView> {
  const entry = opts.entry ?? `${ROOT}views/${name}/main.ts`;
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: opts.trim === false ? [] : [trimAppDependencies()],
  });
  const js = result.outputFiles[0]!.text;
  const output = Object.values(result.metafile.outputs)[0]!;
  const by_package: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) by_package[packageOf(input)] = (by_package[packageOf(input)] ?? 0) + bytesInOutput;
  const sources = [`${ROOT}views/shared/base.css`, ...(opts.entry ? [] : [`${ROOT}views/${name}/view.css`])];
  const css = (await transform(sources.map((f) => readFileSync(f, 'utf8')).join('\n'), { loader: 'css', minify: true })).code;
  return { name, html: page(TITLES[name] ?? 'Taiga', css, js), js_bytes: Buffer.byteLength(js), css_bytes: Buffer.byteLength(css), by_package };
}
