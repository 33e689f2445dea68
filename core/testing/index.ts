/**
 * Test kit for plugin authors: run the same checks the built-in plugins pass, and drive
 * a plugin through the real pipeline with an in-memory MCP client.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { validateConfig } from '../config/load.js';
import type { ConfigInput } from '../config/schema.js';
import { createApp, type App } from '../app.js';
import { createLogger } from '../logger.js';
import { createMcpServer } from '../mcp/server.js';
import type { PluginDefinition } from '../plugin/types.js';
import { builtinPlugins } from '../../plugins/index.js';

export { assertPluginConforms, pluginProblems, toolProblems } from './conformance.js';

export interface TestClient {
  client: Client;
  app: App;
  close(): Promise<void>;
}

/**
 * An MCP client connected in memory to a server with the built-in plugins plus yours.
 * Point `config.taiga.url` at a Taiga (or the emulator) and set credentials as needed.
 */
export async function createTestClient(opts: { plugins?: readonly PluginDefinition[]; config?: ConfigInput; withBuiltins?: boolean } = {}): Promise<TestClient> {
  const config = validateConfig({ logLevel: 'silent', ...opts.config });
  const plugins = [...(opts.withBuiltins === false ? [] : builtinPlugins), ...(opts.plugins ?? [])];
  const app = await createApp({ config, plugins, logger: createLogger(config.logLevel) });
  const server = createMcpServer(app, { source: 'test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'taiga-mcp-test-kit', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    app,
    async close() {
      await client.close();
      await server.close();
      await app.close();
    },
  };
}
