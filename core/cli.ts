#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { createLogger } from './logger.js';
import { createApp } from './app.js';
import { createMcpServer } from './mcp/server.js';
import { TaigaMcpError } from './errors.js';
import { runCheck, runToolsListing } from './cli-commands.js';
import { SERVER_VERSION } from './version.js';

const HELP = `taiga-mcp ${SERVER_VERSION} — MCP server for Taiga

Usage:
  taiga-mcp [--config FILE]           serve MCP over stdio (default)
  taiga-mcp check [--config FILE]     check config, Taiga reachability and credentials
  taiga-mcp tools [--all] [--json|--markdown]  list enabled tools by toolset (--all: every tool)
  taiga-mcp --help | --version

Config: FILE, else ./taiga-mcp.config.json if present; environment variables override it
(TAIGA_API_URL, TAIGA_USERNAME, TAIGA_PASSWORD or TAIGA_TOKEN, ALLOW_HTTP_TAIGA, …; see README).
With no Taiga URL configured, the server runs against a built-in demo Taiga emulator.
`;

/** Output of CLI commands goes to stdout; the server itself never writes there. */
const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' }, all: { type: 'boolean' }, json: { type: 'boolean' }, markdown: { type: 'boolean' } },
  });
  if (values.help) return print(HELP), 0;
  if (values.version) return print(SERVER_VERSION), 0;
  const command = positionals[0] ?? 'serve';
  const { config } = loadConfig(values.config === undefined ? {} : { file: values.config });
  if (command === 'tools') return runToolsListing(config, { all: values.all ?? false, json: values.json ?? false, markdown: values.markdown ?? false }, print);
  if (command === 'check') return runCheck(config, print);
  if (command !== 'serve') throw new TaigaMcpError('CONFIG_INVALID', { message: `Unknown command "${command}"; see --help.` });
  await serve(config);
  return -1;
}

async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  let demo: { close(): Promise<void> } | undefined;
  if (!config.taiga.url) {
    const { startDemoTaiga } = await import('./demo.js');
    const started = await startDemoTaiga(config, logger);
    config = started.config;
    demo = started.emulator;
  }
  const app = await createApp({ config, logger });
  const server = createMcpServer(app, { source: 'stdio' });
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, 'shutting down');
    await server.close().catch(() => undefined);
    await app.close();
    await demo?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.stdin.on('end', () => void shutdown('stdin closed'));
  await server.connect(new StdioServerTransport());
  logger.info({ tools: app.tools.size, taiga: app.config.taiga.url?.replace(/\/\/[^@/]*@/, '//') }, 'taiga-mcp ready on stdio');
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => code >= 0 && process.exit(code),
    (err: unknown) => {
      const message = err instanceof TaigaMcpError ? `${err.code}: ${err.message}` : `INTERNAL: ${(err as Error)?.message ?? String(err)}`;
      process.stderr.write(`taiga-mcp: ${message}\n`);
      process.exit(err instanceof TaigaMcpError && err.code !== 'INTERNAL' ? 2 : 1);
    },
  );
}
