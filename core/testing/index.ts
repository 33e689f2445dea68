/**
 * Test kit for plugin authors: run the same checks the built-in plugins pass, and drive
 * a plugin through the real pipeline with an in-memory MCP client.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { validateConfig } from '../config/load.js';
import type { ConfigInput } from '../config/schema.js';
import { createApp, type App } from '../app.js';
import { createLogger } from '../logger.js';
import { createServerFactory } from '../mcp/server.js';
import { LOCAL_PRINCIPAL } from '../principal.js';
import type { PluginDefinition } from '../plugin/types.js';
import { builtinPlugins } from '../../plugins/index.js';

export { assertPluginConforms, pluginProblems, toolProblems } from './conformance.js';

/** The Taiga emulator the package ships (dist/demo): a real HTTP server on 127.0.0.1 with sample data. */
export interface TestTaiga {
  /** `http://127.0.0.1:<port>`: give it to createTestClient as `config.taiga.url` (with `allowHttp: true`). */
  readonly url: string;
  readonly apiUrl: string;
  /** Writes the emulator received so far (to check that a refused call wrote nothing). */
  readonly totalWrites: number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts the emulator: users `admin`/`taigaadmin` and `user1`…`user9`/`123123`, projects `project-1`…
 * `project-7` with stories, tasks, issues, epics, sprints and wiki pages.
 */
export async function startTestTaiga(): Promise<TestTaiga> {
  const { startEmulator } = (await import(new URL('../../demo/emulator/index.js', import.meta.url).href)) as { startEmulator: (o: { record: boolean }) => Promise<TestTaiga> };
  return startEmulator({ record: true });
}

export interface TestClient {
  client: Client;
  app: App;
  /** Calls a tool and returns its result as the protocol gives it. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** The structuredContent of a successful call; fails (throws) on an error result. */
export function dataOf<T = Record<string, unknown>>(result: CallToolResult): T {
  if (result.isError) throw new Error(`expected success, got ${(result.content[0] as { text?: string } | undefined)?.text ?? 'an error'}`);
  return result.structuredContent as T;
}

/** The `{ code, message, details, hint }` of a failed call; fails (throws) on a success. */
export function errorOf(result: CallToolResult): { code: string; message: string; details?: Record<string, unknown>; hint?: string } {
  if (!result.isError) throw new Error('expected an error result');
  return (JSON.parse((result.content[0] as { text: string }).text) as { error: { code: string; message: string } }).error;
}

/** What the person behind the test client answers when a tool asks to confirm (ctx.confirm). */
export type TestElicitation = (request: { message: string }) => { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean> } | Promise<{ action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean> }>;

/**
 * An MCP client connected in memory to a server with the built-in plugins plus yours.
 * Point `config.taiga.url` at a Taiga (or the emulator) and set credentials as needed. With
 * `elicitation`, the client can be asked to confirm writes (ctx.confirm) and answers through it.
 */
export async function createTestClient(opts: { plugins?: readonly PluginDefinition[]; config?: ConfigInput; withBuiltins?: boolean; elicitation?: TestElicitation } = {}): Promise<TestClient> {
  const config = validateConfig({ logLevel: 'silent', ...opts.config });
  const plugins = [...(opts.withBuiltins === false ? [] : builtinPlugins), ...(opts.plugins ?? [])];
  const app = await createApp({ config, plugins, logger: createLogger(config.logLevel) });
  const server = createServerFactory(app, { principal: LOCAL_PRINCIPAL, source: 'test' })();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'taiga-mcp-test-kit', version: '1.0.0' }, opts.elicitation ? { capabilities: { elicitation: {} } } : {});
  const elicitation = opts.elicitation;
  if (elicitation) client.setRequestHandler('elicitation/create', async (request) => elicitation({ message: String((request.params as { message?: unknown }).message) }));
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    app,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    async close() {
      await client.close();
      await server.close();
      await app.close();
    },
  };
}
