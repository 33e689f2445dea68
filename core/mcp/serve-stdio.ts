import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import { createServerFactory } from './server.js';
import { LineTransport } from './stdio-transport.js';
import { LOCAL_PRINCIPAL } from '../principal.js';

/** The longest stdio line served; a longer one is refused and dropped, and the next is served. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** MCP over stdio for one local user (principal `local`); `stop` is called when the client goes away. */
export async function serveStdioMode(app: App, logger: Logger, stop: (reason: string) => void): Promise<{ close(): Promise<void> }> {
  const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
  const transport = new LineTransport(process.stdin, process.stdout, {
    maxLineBytes: MAX_LINE_BYTES,
    onEnded: stop,
    onNote: (note) => logger.warn({ note }, 'MCP input refused'),
  });
  const handle = serveStdio(createServerFactory(app, { principal: LOCAL_PRINCIPAL, source: 'stdio' }), { transport, onerror: (err) => logger.warn({ err: err.message.slice(0, 200) }, 'MCP transport error') });
  logger.info({ tools: app.tools.size, taiga: app.config.taiga.url?.replace(/\/\/[^@/]*@/, '//') }, 'taiga-mcp ready on stdio');
  return handle;
}
