// Reference only: the same bare one-tool server on SDK v1 (`@modelcontextprotocol/sdk`), printed
// beside the v2 floor (bare-server.ts) because peers on SDK v1 are measured against it.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';

const echo: Tool = {
  name: 'echo',
  description: 'Returns its text argument.',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  annotations: { readOnlyHint: true },
};

const server = new Server({ name: 'bare-bench-server', version: '0.0.1' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [echo] }));
server.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
  if (req.params.name !== 'echo') return { isError: true, content: [{ type: 'text', text: `Unknown tool ${req.params.name}` }] };
  const text = String((req.params.arguments ?? {})['text'] ?? '');
  return { content: [{ type: 'text', text }], structuredContent: { text } };
});
await server.connect(new StdioServerTransport());
