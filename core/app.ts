import { asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import type { Tool } from '@modelcontextprotocol/server';
import * as v from 'valibot';
import { TaigaMcpError } from './errors.js';
import type { Config } from './config/schema.js';
import { createLogger, type Logger } from './logger.js';
import { checkPlugins, importPlugin } from './plugin/loader.js';
import type { PluginDefinition } from './plugin/types.js';
import { BEYOND, buildInventory, type Inventory } from './inventory.js';
import { buildPipeline } from './pipeline/order.js';
import { createStore } from './sessions/create-store.js';
import { configuredAccount, SessionManager, type SessionManagerOptions } from './sessions/manager.js';
import type { StateStore } from './sessions/types.js';
import { TaigaHosts } from './taiga-hosts.js';
import { ProjectMetadataCache } from './resolve/project-metadata.js';
import { ShownVersions } from './work-items/shown-versions.js';
import { callSchema } from './call-schema.js';
import { Confirmations } from './confirm/confirmations.js';
import { confirmsWrites } from './pipeline/confirm.js';
import { descriptorOf } from './tool-descriptors.js';
import type { Registry } from './resources/registry.js';
import { internalTools } from './resources/internal-tools.js';
import { accessViews, type AccessView } from './access/views.js';
import type { EnabledTool } from './enabled-tool.js';

export type { EnabledTool } from './enabled-tool.js';
import type { Grant } from './access/grant.js';
import { builtinPlugins } from '../plugins/index.js';
import { NO_TELEMETRY, startTracing, type Telemetry } from './telemetry.js';
import type { Tracing } from './tracing/types.js';

export interface AppOptions {
  config: Config;
  /** Defaults to the built-in plugins plus config.plugins.external. */
  plugins?: readonly PluginDefinition[];
  logger?: Logger;
  store?: StateStore;
  cwd?: string;
  /** Metrics (HTTP mode); none by default. */
  telemetry?: Telemetry;
  /** The account of each principal that names no session (HTTP API keys); default: the configured account for all. */
  accounts?: (hosts: TaigaHosts, configured: AccountProvider) => AccountProvider;
}

type AccountProvider = NonNullable<SessionManagerOptions['defaultAccount']>;

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly container: AwilixContainer;
  readonly inventory: Inventory;
  readonly sessions: SessionManager;
  readonly hosts: TaigaHosts;
  readonly store: StateStore;
  readonly tools: ReadonlyMap<string, EnabledTool>;
  /** Resources and prompts of the loaded plugins, and the unlisted tools that serve them. */
  readonly registry: Registry;
  readonly internal: ReadonlyMap<string, EnabledTool>;
  /** What a principal with this grant is served (no grant: everything enabled). */
  access(grant: Grant | undefined): AccessView;
  /** Traces, when an OTLP endpoint is configured. */
  readonly tracing: Tracing | undefined;
  close(): Promise<void>;
}

/** Loads plugins selected by config, wires the container and composes each tool's pipeline. No I/O to Taiga. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const plugins = checkPlugins(opts.plugins ?? (await selectPlugins(config, opts.cwd ?? process.cwd())), undefined, new Set(builtinPlugins));
  const inventory = buildInventory(plugins, config.tools, { loginEnabled: config.sessions.loginEnabled });
  if (inventory.beyond.length > 0) logger.warn({ toolsets: inventory.beyond }, BEYOND);

  const tracing = await startTracing(config, logger);
  const untraced = opts.store ?? (await createStore(config, logger));
  const store = tracing ? tracing.traceStore(untraced, config.store.kind) : untraced;
  const telemetry = opts.telemetry ?? NO_TELEMETRY;
  const hosts = new TaigaHosts(config, logger, telemetry.taiga, tracing);
  const configured = configuredAccount(config, hosts);
  const sessions = new SessionManager(config, store, hosts, logger, { defaultAccount: opts.accounts ? opts.accounts(hosts, configured) : configured });
  const container = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
  container.register({
    config: asValue(config),
    logger: asValue(logger),
    store: asValue(store),
    hosts: asValue(hosts),
    sessions: asValue(sessions),
    metadata: asValue(new ProjectMetadataCache(config.cache.metadataTtlSeconds)),
    shownVersions: asValue(new ShownVersions()),
  });
  for (const plugin of plugins) if (plugin.services) container.register(plugin.services);

  const confirmations = Confirmations.forConfig(config, store);
  const deps = { logger, sessions, hosts, store, telemetry, tracing, confirmations, burst: config.rateLimits.toolCallBurst, perSecond: config.rateLimits.toolCallsPerSecond };
  const requireConfirm = config.confirmations.mode === 'require';
  const options = new Map(plugins.map((p) => [p.name, pluginOptions(p, config.plugins.options[p.name])]));
  const extra = plugins.flatMap((p) => (p.middleware ?? []).map((middleware) => ({ middleware, options: options.get(p.name)! })));
  const tools = new Map<string, EnabledTool>();
  for (const { tool, plugin } of inventory.enabled) {
    const schema = callSchema(tool, requireConfirm && confirmsWrites(tool));
    tools.set(tool.name, { tool, plugin: plugin.name, schema, descriptor: await descriptorOf(tool, plugin, schema), run: buildPipeline(tool, schema, deps, extra, options.get(plugin.name)) });
  }
  const internalFor = (registry: Registry): Map<string, EnabledTool> => {
    const internal = new Map<string, EnabledTool>();
    for (const tool of internalTools(registry)) {
      const schema = callSchema(tool);
      // Never listed, so their JSON Schemas are never needed: not computed.
      const descriptor: Tool = { name: tool.name, title: tool.title, description: tool.description, inputSchema: { type: 'object' }, annotations: tool.annotations };
      // An internal tool's title is the MCP method it serves (resources/read…): its span's name.
      internal.set(tool.name, { tool, plugin: 'core', schema, descriptor, run: buildPipeline(tool, schema, { ...deps, mcpMethod: tool.title }, extra) });
    }
    return internal;
  };
  const access = accessViews({ inventory, plugins, tools, internalFor });
  const { registry, internal } = access(undefined);
  sessions.startCleanup();

  return {
    config,
    logger,
    container,
    inventory,
    sessions,
    hosts,
    store,
    tools,
    registry,
    internal,
    access,
    tracing,
    async close() {
      sessions.stopCleanup();
      await hosts.close();
      await store.close();
      await container.dispose();
      await tracing?.shutdown();
    },
  };
}

/** A plugin's options, checked against its schema: a bad one stops start-up naming `plugins.options.<name>.<key>`. */
function pluginOptions(plugin: PluginDefinition, raw: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!plugin.options) return raw ?? {};
  const parsed = v.safeParse(plugin.options, raw ?? {});
  if (parsed.success) return parsed.output;
  const where = parsed.issues.map((i) => `plugins.options.${plugin.name}${(i.path ?? []).map((p) => `.${String(p.key)}`).join('')}: expected ${i.expected ?? 'a valid value'}`);
  throw new TaigaMcpError('CONFIG_INVALID', { message: `invalid configuration: ${where.join('; ')}` });
}

async function selectPlugins(config: Config, cwd: string): Promise<PluginDefinition[]> {
  const external = await Promise.all(config.plugins.external.map((s) => importPlugin(s, cwd)));
  const disabled = new Set(config.plugins.disabled);
  return [...builtinPlugins, ...external].filter((p) => !disabled.has(p.name));
}
