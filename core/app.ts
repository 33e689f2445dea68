import { asFunction, asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type * as v from 'valibot';
import type { Config } from './config/schema.js';
import { createLogger, type Logger } from './logger.js';
import { checkPlugins, importPlugin } from './plugin/loader.js';
import type { AnyTool, PluginDefinition } from './plugin/types.js';
import { buildInventory, type Inventory } from './inventory.js';
import { buildPipeline } from './pipeline/order.js';
import type { ToolCall } from './pipeline/types.js';
import { MemoryStore } from './sessions/memory-store.js';
import { SessionManager } from './sessions/manager.js';
import type { StateStore } from './sessions/types.js';
import { TaigaHosts } from './taiga-hosts.js';
import { ProjectMetadataCache } from './resolve/project-metadata.js';
import { NameResolver } from './resolve/name-resolver.js';
import { ShownVersions } from './work-items/shown-versions.js';
import { callSchema, describeTool } from './tool-schemas.js';
import { builtinPlugins } from '../plugins/index.js';

export interface AppOptions {
  config: Config;
  /** Defaults to the built-in plugins plus config.plugins.external. */
  plugins?: readonly PluginDefinition[];
  logger?: Logger;
  store?: StateStore;
  cwd?: string;
}

export interface EnabledTool {
  tool: AnyTool;
  plugin: string;
  schema: v.GenericSchema;
  descriptor: Tool;
  run: (call: ToolCall) => Promise<void>;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly container: AwilixContainer;
  readonly inventory: Inventory;
  readonly sessions: SessionManager;
  readonly tools: ReadonlyMap<string, EnabledTool>;
  close(): Promise<void>;
}

/** Loads plugins selected by config, wires the container and composes each tool's pipeline. No I/O to Taiga. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const plugins = checkPlugins(opts.plugins ?? (await selectPlugins(config, opts.cwd ?? process.cwd())));
  const inventory = buildInventory(plugins, config.tools, { loginEnabled: config.sessions.loginEnabled });

  const store = opts.store ?? new MemoryStore(config.sessions.maxSessions);
  const hosts = new TaigaHosts(config, logger);
  const sessions = new SessionManager(config, store, hosts, logger);
  const container = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
  container.register({
    config: asValue(config),
    logger: asValue(logger),
    store: asValue(store),
    hosts: asValue(hosts),
    sessions: asValue(sessions),
    metadata: asValue(new ProjectMetadataCache(config.cache.metadataTtlSeconds)),
    shownVersions: asValue(new ShownVersions()),
    resolve: asFunction(({ taiga, session, metadata, audit }) => new NameResolver(taiga, session, metadata, audit)).scoped(),
  });
  for (const plugin of plugins) if (plugin.services) container.register(plugin.services);

  const deps = { logger, sessions, hosts, store, burst: config.rateLimits.toolCallBurst, perSecond: config.rateLimits.toolCallsPerSecond };
  const extra = plugins.flatMap((p) => (p.middleware ?? []).map((middleware) => ({ middleware, options: config.plugins.options[p.name] ?? {} })));
  const tools = new Map<string, EnabledTool>();
  for (const { tool, plugin } of inventory.enabled) {
    const schema = callSchema(tool);
    tools.set(tool.name, { tool, plugin: plugin.name, schema, descriptor: describeTool(tool, schema), run: buildPipeline(tool, schema, deps, extra) });
  }
  sessions.startCleanup();

  return {
    config,
    logger,
    container,
    inventory,
    sessions,
    tools,
    async close() {
      sessions.stopCleanup();
      await hosts.close();
      await store.close();
      await container.dispose();
    },
  };
}

async function selectPlugins(config: Config, cwd: string): Promise<PluginDefinition[]> {
  const external = await Promise.all(config.plugins.external.map((s) => importPlugin(s, cwd)));
  const disabled = new Set(config.plugins.disabled);
  return [...builtinPlugins, ...external].filter((p) => !disabled.has(p.name));
}
