// `npm run mcpb`: the MCP Bundle (taiga-mcp-<version>.mcpb) that a desktop client installs in one
// click, made with the official mcpb CLI from a folder holding exactly what the server loads: the
// CLI bundle and the chunks a stdio server loads (undici included), tool-descriptors.json and the
// demo Taiga, as module-closure.ts finds them from the entry point; no node_modules, no source maps.
//   node dist/test/build/mcpb.js [--out-dir DIR] [--stage DIR]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { iconPng } from './icon.js';
import { BUNDLED_CLI, mcpbManifest, SERVER_DIR, type PackageJson } from './mcpb-manifest.js';
import { moduleClosure } from './module-closure.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const require = createRequire(import.meta.url);

/**
 * What a stdio server started with the manifest's fixed arguments never loads: the HTTP server
 * (--http), the Redis store (only a --config file selects it on stdio) and keygen. Left out with
 * what only they import (@redis/client, prom-client, jose, hono): a fifth of the bundle.
 */
const NOT_ON_STDIO = /^core\/taiga-mcp-(serve|redis-store|api-keys)-[A-Z0-9]+\.mjs$/;

/** The mcpb command of the devDependency (its package exports no path to it). */
export const MCPB_CLI = join(dirname(require.resolve('@anthropic-ai/mcpb')), 'cli', 'cli.js');

/** Runs `mcpb <args>`; its output, or an error carrying it when the command fails. */
export function mcpb(args: string[]): string {
  const run = spawnSync(process.execPath, [MCPB_CLI, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`mcpb ${args[0]} failed (${run.status}):\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

export function readPackageJson(): PackageJson {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** Fills `stage` with the bundle's files and manifest, validates it and packs it into `outDir`; returns the .mcpb's path. */
export async function buildMcpb(stage: string, outDir: string): Promise<string> {
  const pkg = readPackageJson();
  rmSync(stage, { recursive: true, force: true });
  const server = join(stage, SERVER_DIR);
  for (const file of moduleClosure(DIST, [BUNDLED_CLI], 'code', NOT_ON_STDIO)) {
    mkdirSync(dirname(join(server, file)), { recursive: true });
    cpSync(join(DIST, file), join(server, file));
  }
  // The demo Taiga's files end in .js: this marks them as ES modules whatever Node the client runs.
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(stage, 'icon.png'), iconPng());
  writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(await mcpbManifest(pkg), null, 2)}\n`);
  mcpb(['validate', join(stage, 'manifest.json')]);
  const file = join(outDir, `${pkg.name}-${pkg.version}.mcpb`);
  mcpb(['pack', stage, file]);
  return file;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' }, stage: { type: 'string' } } });
  const file = await buildMcpb(values.stage ?? join(DIST, 'mcpb', readPackageJson().name), values['out-dir'] ?? ROOT);
  process.stdout.write(`${file} (${Math.round(statSync(file).size / 1024)} KiB)\n`);
}
