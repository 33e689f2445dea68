import type { Config } from './config/schema.js';
import { BEYOND, buildInventory, type Inventory } from './inventory.js';
import { checkPlugins, importPlugin } from './plugin/loader.js';
import { builtinPlugins } from '../plugins/index.js';
import { TaigaHosts } from './taiga-hosts.js';
import { createLogger } from './logger.js';
import { TaigaMcpError } from './errors.js';
import type { LoadedConfig } from './config/load.js';
import { credentialLifetime } from './credentials/lifetime.js';
import { authorization } from './credentials/authorization.js';

type Print = (text: string) => void;

/** One tool as `taiga-mcp tools` shows it. */
export interface ToolRow {
  toolset: string;
  plugin: string;
  name: string;
  enabled: boolean;
  read_only: boolean;
  destructive: boolean;
  title: string;
  description: string;
}

/** The tools of the configured plugins (the enabled ones, or every one with `all`), by toolset; the bundle's manifest lists them too. */
export async function toolListing(config: Config, all: boolean): Promise<{ rows: ToolRow[]; inventory: Inventory }> {
  const external = await Promise.all(config.plugins.external.map((s) => importPlugin(s, process.cwd())));
  const disabled = new Set(config.plugins.disabled);
  const plugins = checkPlugins([...builtinPlugins, ...external].filter((p) => !disabled.has(p.name)), undefined, new Set(builtinPlugins));
  const inventory = buildInventory(plugins, config.tools, { loginEnabled: config.sessions.loginEnabled });
  const enabled = new Set(inventory.enabled.map((e) => e.tool.name));
  const rows = (all ? inventory.all : inventory.enabled).map(({ tool, toolset, plugin }) => ({
    toolset: toolset.id,
    plugin: plugin.name,
    name: tool.name,
    enabled: enabled.has(tool.name),
    read_only: tool.annotations.readOnlyHint,
    destructive: tool.annotations.destructiveHint,
    title: tool.title,
    description: tool.description,
  }));
  return { rows, inventory };
}

/** `taiga-mcp tools`: what is enabled, by toolset. Needs no Taiga. */
export async function runToolsListing(config: Config, opts: { all: boolean; json: boolean; markdown?: boolean }, print: Print): Promise<number> {
  const { rows, inventory } = await toolListing(config, opts.all);
  if (opts.json) return print(JSON.stringify(rows, null, 2)), 0;
  if (opts.markdown) return print(toolsMarkdown(rows, inventory)), 0;
  for (const ts of inventory.toolsets) {
    const mine = rows.filter((r) => r.toolset === ts.id);
    if (mine.length === 0) continue;
    print(`${ts.id} — ${ts.description}${ts.default ? ' (default)' : ''}`);
    for (const r of mine) print(`  ${r.enabled ? '✓' : '·'} ${r.name}${r.read_only ? '' : r.destructive ? '  [destructive]' : '  [write]'}  ${r.title}`);
  }
  if (inventory.beyond.length > 0) print(`${BEYOND}: ${inventory.beyond.join(', ')}.`);
  print(`${inventory.enabled.length} tool(s) enabled${config.tools.readOnly ? ' (read-only mode)' : ''}.`);
  return 0;
}

/** `taiga-mcp check`: which file, config valid, Taiga reachable, credentials accepted and how long they last. Exit 0 only if all pass. */
export async function runCheck(loaded: LoadedConfig, print: Print): Promise<number> {
  const { config } = loaded;
  if (loaded.file === undefined) print('· no config file (environment variables only)');
  else print(`· config file ${loaded.file}${loaded.source === 'found' ? ' (found in the working directory: only tools, to narrow them, logLevel and cache apply)' : ''}`);
  if (loaded.ignored.length > 0) print(`· ignored from that file: ${loaded.ignored.join(', ')} (pass it with --config to apply them)`);
  if (loaded.ignoredEnv.includes('REDIS_URL')) print('· REDIS_URL is ignored on stdio (one process keeps its sessions in memory); it selects the Redis store with --http');
  if (!config.taiga.url) {
    print('✗ no Taiga URL configured (TAIGA_API_URL or taiga.url); `taiga-mcp --demo` serves the built-in demo instead');
    return 1;
  }
  const hosts = new TaigaHosts(config, createLogger('silent'));
  print('✓ configuration is valid');
  const http = hosts.client();
  const signal = AbortSignal.timeout(config.taiga.requestTimeoutSeconds * 1000);
  const lifetime = credentialLifetime(config.taiga);
  try {
    await http.ping(signal);
    print(`✓ Taiga reachable at ${hosts.defaultApiUrl}`);
    const { username, password, token, applicationToken, refreshToken } = config.taiga;
    const me = (auth: string) => http.request<{ username: string }>({ method: 'GET', path: '/users/me', authorization: auth, signal }).then((r) => r.body.username);
    if (applicationToken) print(`✓ application token accepted (user ${await me(authorization('Application', applicationToken))})`);
    else if (username && password) print(`✓ credentials accepted (user ${(await http.login(username, password, signal)).user.username})`);
    else if (refreshToken) print('· refresh token configured: it is used (and rotated) at the first tool call, not by check');
    else if (token) print(`✓ access token accepted (user ${await me(authorization('Bearer', token))})`);
    else print('· no default credentials: every tool call needs a session from the login tool');
    print(`${lifetime.advice ? '!' : '✓'} ${lifetime.lasts}${lifetime.advice ? ` ${lifetime.advice}` : ''}`);
    return 0;
  } catch (err) {
    const e = err instanceof TaigaMcpError ? err : new TaigaMcpError('INTERNAL');
    print(`✗ ${e.code}: ${e.message}`);
    if (e.code === 'AUTH_FAILED' && lifetime.advice) print(`  ${lifetime.advice}`);
    return 1;
  } finally {
    await hosts.close();
  }
}

/** The README's tool table; a test keeps the README in step with the code. */
export function toolsMarkdown(rows: Array<{ toolset: string; name: string; read_only: boolean; destructive: boolean; description: string }>, inventory: { toolsets: readonly { id: string; default: boolean }[] }): string {
  const lines = ['| Tool | Toolset | What it does | Kind |', '|---|---|---|---|'];
  for (const ts of inventory.toolsets) {
    for (const r of rows.filter((x) => x.toolset === ts.id)) {
      lines.push(`| \`${r.name}\` | ${r.toolset}${ts.default ? '' : ' (opt-in)'} | ${r.description.replace(/\|/g, '\\|')} | ${r.read_only ? 'read' : r.destructive ? 'destructive' : 'write'} |`);
    }
  }
  return lines.join('\n');
}

/** `taiga-mcp keygen`: a new API key, and the config entry that holds only its hash. */
export async function runKeygen(principal: string | undefined, print: Print): Promise<number> {
  const { newApiKey } = await import('./http/auth/api-keys.js');
  const { key, sha256 } = newApiKey();
  print(`key (give it to the client; it is not stored anywhere): ${key}`);
  print(`config entry for http.auth.apiKeys:`);
  print(JSON.stringify({ sha256, principal: principal ?? 'CHANGE-ME' }, null, 2));
  return 0;
}
