import type { Config } from './config/schema.js';
import { buildInventory } from './inventory.js';
import { checkPlugins, importPlugin } from './plugin/loader.js';
import { builtinPlugins } from '../plugins/index.js';
import { TaigaHosts } from './taiga-hosts.js';
import { createLogger } from './logger.js';
import { TaigaMcpError } from './errors.js';

type Print = (text: string) => void;

/** `taiga-mcp tools`: what is enabled, by toolset. Needs no Taiga. */
export async function runToolsListing(config: Config, opts: { all: boolean; json: boolean; markdown?: boolean }, print: Print): Promise<number> {
  const external = await Promise.all(config.plugins.external.map((s) => importPlugin(s, process.cwd())));
  const disabled = new Set(config.plugins.disabled);
  const plugins = checkPlugins([...builtinPlugins, ...external].filter((p) => !disabled.has(p.name)));
  const inventory = buildInventory(plugins, config.tools, { loginEnabled: config.sessions.loginEnabled });
  const enabled = new Set(inventory.enabled.map((e) => e.tool.name));
  const rows = (opts.all ? inventory.all : inventory.enabled).map(({ tool, toolset, plugin }) => ({
    toolset: toolset.id,
    plugin: plugin.name,
    name: tool.name,
    enabled: enabled.has(tool.name),
    read_only: tool.annotations.readOnlyHint,
    destructive: tool.annotations.destructiveHint,
    title: tool.title,
    description: tool.description,
  }));
  if (opts.json) return print(JSON.stringify(rows, null, 2)), 0;
  if (opts.markdown) return print(toolsMarkdown(rows, inventory)), 0;
  for (const ts of inventory.toolsets) {
    const mine = rows.filter((r) => r.toolset === ts.id);
    if (mine.length === 0) continue;
    print(`${ts.id} — ${ts.description}${ts.default ? ' (default)' : ''}`);
    for (const r of mine) print(`  ${r.enabled ? '✓' : '·'} ${r.name}${r.read_only ? '' : r.destructive ? '  [destructive]' : '  [write]'}  ${r.title}`);
  }
  print(`${enabled.size} tool(s) enabled${config.tools.readOnly ? ' (read-only mode)' : ''}.`);
  return 0;
}

/** `taiga-mcp check`: config valid, Taiga reachable, credentials accepted. Exit 0 only if all pass. */
export async function runCheck(config: Config, print: Print): Promise<number> {
  if (!config.taiga.url) {
    print('✗ no Taiga URL configured (TAIGA_API_URL or taiga.url); `taiga-mcp` alone would serve the demo emulator');
    return 1;
  }
  const hosts = new TaigaHosts(config, createLogger('silent'));
  print('✓ configuration is valid');
  const http = hosts.client();
  const signal = AbortSignal.timeout(config.taiga.requestTimeoutSeconds * 1000);
  try {
    await http.ping(signal);
    print(`✓ Taiga reachable at ${hosts.defaultApiUrl}`);
    const { username, password, token } = config.taiga;
    if (token) {
      const me = await http.request<{ username: string }>({ method: 'GET', path: '/users/me', token, signal });
      print(`✓ access token accepted (user ${me.body.username})`);
    } else if (username && password) {
      const result = await http.login(username, password, signal);
      print(`✓ credentials accepted (user ${result.user.username})`);
    } else {
      print('· no default credentials: every tool call needs a session from the login tool');
    }
    return 0;
  } catch (err) {
    const e = err instanceof TaigaMcpError ? err : new TaigaMcpError('INTERNAL');
    print(`✗ ${e.code}: ${e.message}`);
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
