// The floor of the cold-start and per-call measurements: the smallest useful MCP server on our
// stack (SDK v2, low-level Server, served with serveStdio), with one tool that makes the GET a
// taiga-mcp read makes and returns Taiga's body as text, unprojected. undici is imported at the
// first call, as taiga-mcp does, so that the floor does not pay for it at start. With BARE_HTTP_PORT
// it serves the same over Streamable HTTP (the SDK's createMcpHandler, stateless), unauthenticated:
// the floor of the HTTP throughput measurement.
import { Server, type CallToolResult, type Tool } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const taigaGet: Tool = {
  name: 'taiga_get',
  description: "GETs a path of Taiga's API and returns the body.",
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
  annotations: { readOnlyHint: true },
};

const api = process.env['BARE_TAIGA_API'] ?? '';
const token = process.env['BARE_TAIGA_TOKEN'] ?? '';
let request: Promise<typeof import('undici').request> | undefined;

async function get(path: string): Promise<string> {
  const send = await (request ??= import('undici').then((u) => u.request));
  const res = await send(`${api}${path}`, { headers: { accept: 'application/json', authorization: `Bearer ${token}`} });
  const body = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  return body;
}

function bareServer(): Server {
  const server = new Server({ name: 'bare-bench-server', version: '0.0.1' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: [taigaGet] }));
  server.setRequestHandler('tools/call', async (req): Promise<CallToolResult> => {
    if (req.params.name !== 'taiga_get') return { isError: true, content: [{ type: 'text', text: `Unknown tool ${req.params.name}` }] };
    const path = String((req.params.arguments ?? {})['path'] ?? '');
    return { content: [{ type: 'text', text: await get(path) }] };
  });
  return server;
}

const httpPort = process.env['BARE_HTTP_PORT'];
if (httpPort) {
  // Imported only here, so that the stdio floor's cold start does not load them.
  const [{ createMcpHandler }, { toNodeHandler }, { createServer }] = await Promise.all([import('@modelcontextprotocol/server'), import('@modelcontextprotocol/node'), import('node:http')]);
  const node = toNodeHandler(createMcpHandler(bareServer, { legacy: 'stateless' }));
  createServer((req, res) => void node(req, res)).listen(Number(httpPort), '127.0.0.1', () => process.stderr.write('bare server ready on http\n'));
} else {
  serveStdio(bareServer);
}
