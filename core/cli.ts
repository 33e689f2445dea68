#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { envValue, parseBoolean } from './config/env-value.js';
import { describeUnknown, unknownTaigaVariables } from './config/env-check.js';
import { LASTING_CREDENTIALS } from './credentials/lifetime.js';
import type { Config } from './config/schema.js';
import { createLogger } from './logger.js';
import { createApp } from './app.js';
import { TaigaMcpError } from './errors.js';
import { runCheck, runKeygen, runToolsListing } from './cli-commands.js';
import { SERVER_VERSION } from './version.js';

const HELP = `taiga-mcp ${SERVER_VERSION} — MCP server for Taiga

Usage:
  taiga-mcp [--config FILE]           serve MCP over stdio (default)
  taiga-mcp --http [HOST:]PORT        serve MCP over Streamable HTTP at /mcp (default 127.0.0.1;
                                      a bare --http uses http.host and http.port of the config)
  taiga-mcp --demo                    serve against the built-in demo Taiga (sample data;
                                      TAIGA_MCP_DEMO=true does the same)
  taiga-mcp keygen [--principal NAME] make an API key for http.auth.apiKeys (prints key and hash)
  taiga-mcp demo-taiga [PORT]         run the demo Taiga alone (for instances to share)
  taiga-mcp check [--config FILE]     check config, Taiga reachability and credentials
  taiga-mcp tools [--all] [--json|--markdown]  list enabled tools by toolset (--all: every tool)
  taiga-mcp --help | --version

Config: FILE (or TAIGA_MCP_CONFIG); environment variables override it: TAIGA_API_URL, and
TAIGA_APPLICATION_TOKEN or TAIGA_USERNAME + TAIGA_PASSWORD (or TAIGA_REFRESH_TOKEN, TAIGA_TOKEN), …
A ./taiga-mcp.config.json found in the working directory may only narrow the tools and set logging.
See the README for every key.
`;

/** Output of CLI commands goes to stdout; the server itself never writes there. */
const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: markBareHttp(argv),
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      demo: { type: 'boolean' },
      http: { type: 'string' },
      principal: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
    },
  });
  if (values.help) return print(HELP), 0;
  if (values.version) return print(SERVER_VERSION), 0;
  const command = positionals[0] ?? 'serve';
  if (command === 'keygen') return runKeygen(values.principal, print);
  if (command === 'demo-taiga') {
    const { runDemoTaiga } = await import('./demo.js');
    const port = Number(positionals[1] ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TaigaMcpError('CONFIG_INVALID', { message: 'demo-taiga: expected a port number' });
    await runDemoTaiga(port, print);
    return -1;
  }
  const loaded = loadConfig({ ...(values.config !== undefined && { file: values.config }), transport: values.http === undefined ? 'stdio' : 'http' });
  if (command === 'tools') return runToolsListing(loaded.config, { all: values.all ?? false, json: values.json ?? false, markdown: values.markdown ?? false }, print);
  if (command === 'check') return runCheck(loaded, print);
  if (command !== 'serve') throw new TaigaMcpError('CONFIG_INVALID', { message: `Unknown command "${command}"; see --help.` });
  await serve(loaded, { demo: values.demo ?? demoFromEnv(), http: values.http });
  return -1;
}

/**
 * TAIGA_MCP_DEMO=true asks for the demo as --demo does: it is how a choice in an MCP Bundle's form
 * reaches the server, whose arguments the bundle fixes once for everyone.
 */
function demoFromEnv(): boolean {
  const value = envValue(process.env, 'TAIGA_MCP_DEMO');
  if (value === undefined) return false;
  const demo = parseBoolean(value);
  if (demo === undefined) throw new TaigaMcpError('CONFIG_INVALID', { message: 'TAIGA_MCP_DEMO: expected true or false' });
  return demo;
}

/** The reason to stop when there is nothing to serve, naming what to set (and what looks misspelled). */
function noTaigaError(): TaigaMcpError {
  const unknown = unknownTaigaVariables(process.env);
  return new TaigaMcpError('CONFIG_INVALID', {
    message:
      `No Taiga configured: set TAIGA_API_URL and ${LASTING_CREDENTIALS} (in the environment, or taiga.url in a --config file), ` +
      `or run with --demo (or TAIGA_MCP_DEMO=true) to try the built-in demo Taiga.${unknown.length ? ` Unknown variables: ${describeUnknown(unknown)}.` : ''}`,
  });
}

async function serve(loaded: LoadedConfig, opts: { demo: boolean; http: string | undefined }): Promise<void> {
  let config: Config = loaded.config;
  const logger = createLogger(config.logLevel);
  if (!opts.demo && !config.taiga.url) throw noTaigaError();
  warnAboutConfig(loaded, logger);
  let demo: { close(): Promise<void> } | undefined;
  if (opts.demo) {
    const { startDemoTaiga } = await import('./demo.js');
    const started = await startDemoTaiga(config, logger);
    config = started.config;
    demo = started.emulator;
  }
  let closing = false;
  let close: () => Promise<void> = async () => undefined;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, 'shutting down');
    await close().catch((err: Error) => logger.warn({ err: err.message.slice(0, 200) }, 'shutdown step failed'));
    await demo?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (opts.http !== undefined) {
    const { parseListen, serveHttp } = await import('./http/serve.js');
    const listen = opts.http === HTTP_FROM_CONFIG ? {} : parseListen(opts.http, config.http);
    const serving = await serveHttp({ ...config, http: { ...config.http, ...listen } }, logger);
    close = () => serving.close();
    process.on('SIGHUP', () => {
      try {
        serving.server.reloadTls();
        logger.info('TLS certificates reloaded');
      } catch (err) {
        logger.error({ err: (err as Error).message.slice(0, 300) }, 'TLS reload failed; the previous certificates stay in use');
      }
    });
    return;
  }
  const app = await createApp({ config, logger });
  const { serveStdioMode } = await import('./mcp/serve-stdio.js');
  const handle = await serveStdioMode(app, logger, (reason) => void shutdown(reason));
  close = async () => {
    await handle.close().catch(() => undefined);
    await app.close();
  };
}

/** `--http` with no [HOST:]PORT after it: listen where the config's http.host and http.port say. */
const HTTP_FROM_CONFIG = '\u0000config';

/** parseArgs has no optional values: a bare `--http` (last, or before another flag) gets the config marker. */
function markBareHttp(argv: string[]): string[] {
  return argv.flatMap((arg, i) => (arg === '--http' && (i === argv.length - 1 || argv[i + 1]!.startsWith('-')) ? [`--http=${HTTP_FROM_CONFIG}`] : [arg]));
}

function warnAboutConfig(loaded: LoadedConfig, logger: ReturnType<typeof createLogger>): void {
  if (loaded.source === 'found' && loaded.ignored.length > 0) {
    logger.warn({ file: loaded.file, ignored: loaded.ignored }, 'config file found in the working directory: only tools (to narrow them), logLevel and cache apply; pass it with --config to use the rest');
  }
  if (loaded.ignoredEnv.includes('REDIS_URL')) logger.info('REDIS_URL is ignored on stdio: one process keeps its sessions in memory (it applies with --http, or set store in a --config file)');
  const unknown = unknownTaigaVariables(process.env);
  if (unknown.length) logger.warn({ unknown: describeUnknown(unknown) }, 'unknown TAIGA_* environment variables are ignored');
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
