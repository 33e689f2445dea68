// 3. tools/list size: whole result bytes, and bytes + o200k tokens of what a model reads per tool.
import { encode } from 'gpt-tokenizer';
import { startEmulator } from '../emulator/index.js';
import { BARE_SERVER, CLI, ratio, round, serverEnv, spawnClient } from './util.js';
import { builtinPlugins } from '../../plugins/index.js';
import { validateConfig } from '../../core/config/load.js';
import { buildInventory } from '../../core/inventory.js';

export interface ToolsListResult {
  tools: number;
  list_bytes: number;
  /** name + description + JSON inputSchema, summed over tools. */
  model_bytes: number;
  model_tokens: number;
  tokens_per_tool: number;
  largest: { name: string; tokens: number }[];
  /** Tokens of the `default` selection (what a desktop user gets), and of each toolset with every plugin on. */
  default_tools: number;
  default_tokens: number;
  toolsets: Record<string, { tools: number; tokens: number }>;
  /** The bare one-tool server measured the same way, as a per-tool baseline. */
  bare_tokens_per_tool: number;
  ratio_tokens_per_tool: number;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

interface Counted {
  count: number;
  listBytes: number;
  modelBytes: number;
  modelTokens: number;
  perTool: { name: string; tokens: number }[];
}

async function count(script: string, env: Record<string, string>): Promise<Counted> {
  const spawned = await spawnClient(script, env);
  try {
    const list = await spawned.client.listTools();
    let modelBytes = 0;
    let modelTokens = 0;
    const perTool: { name: string; tokens: number }[] = [];
    for (const t of list.tools) {
      // As the budget test and the peers count a tool: the JSON of name, description and input schema.
      const model = JSON.stringify({ name: t.name, description: t.description, inputSchema: t.inputSchema });
      const tokens = encode(model).length;
      modelBytes += bytes(model);
      modelTokens += tokens;
      perTool.push({ name: t.name, tokens });
    }
    return { count: list.tools.length, listBytes: bytes(JSON.stringify(list)), modelBytes, modelTokens, perTool };
  } finally {
    await spawned.close();
  }
}

export async function measureToolsList(): Promise<ToolsListResult> {
  const emulator = await startEmulator();
  try {
    const env = serverEnv(emulator.url);
    const server = await count(CLI, { ...env, TAIGA_TOOLSETS: 'all' });
    const defaults = await count(CLI, env);
    const bare = await count(BARE_SERVER, env);
    const inventory = buildInventory(builtinPlugins, validateConfig({ tools: { toolsets: 'all' } }).tools, { loginEnabled: true });
    const toolsetOf = new Map(inventory.all.map((e) => [e.tool.name, e.toolset.id]));
    const toolsets: ToolsListResult['toolsets'] = {};
    for (const t of server.perTool) {
      const entry = (toolsets[toolsetOf.get(t.name) ?? '?'] ??= { tools: 0, tokens: 0 });
      entry.tools += 1;
      entry.tokens += t.tokens;
    }
    if (server.count === 0) throw new Error('the server listed no tools');
    const perTool = server.modelTokens / server.count;
    const barePerTool = bare.modelTokens / Math.max(1, bare.count);
    return {
      tools: server.count,
      list_bytes: server.listBytes,
      model_bytes: server.modelBytes,
      model_tokens: server.modelTokens,
      tokens_per_tool: round(perTool, 1),
      largest: [...server.perTool].sort((a, b) => b.tokens - a.tokens).slice(0, 3),
      default_tools: defaults.count,
      default_tokens: defaults.modelTokens,
      toolsets,
      bare_tokens_per_tool: round(barePerTool, 1),
      ratio_tokens_per_tool: ratio(perTool, barePerTool),
    };
  } finally {
    await emulator.close();
  }
}
