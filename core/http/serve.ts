import { TaigaMcpError } from '../errors.js';
import type { Config } from '../config/schema.js';
import type { HttpConfig } from '../config/http-schema.js';
import type { Logger } from '../logger.js';
import { createApp, type App } from '../app.js';
import { ApiKeys, newApiKey } from './auth/api-keys.js';
import { createAuthenticator } from './auth/authenticate.js';
import { LOCAL_PRINCIPAL, writeLocalKey } from './auth/local-key.js';
import { OAuthVerifier } from './auth/oauth.js';
import { FailedAuthLimiter } from './auth/failed-auth.js';
import { hostCheckProblem, isLoopbackHost } from './allow-lists.js';
import { createMetrics } from './metrics.js';
import { principalAccounts } from './accounts.js';
import { startHttpServer, type RunningHttpServer } from './server.js';

/** Where `--http [HOST:]PORT` says to listen, over the config's http.host and http.port. */
export function parseListen(value: string, http: HttpConfig): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65_535) throw new TaigaMcpError('CONFIG_INVALID', { message: `--http: expected [HOST:]PORT (e.g. 8787 or 0.0.0.0:8787), got "${value.slice(0, 100)}"` });
  return { host: match[1]?.replace(/^\[|\]$/g, '') ?? http.host, port };
}

const authConfigured = (http: HttpConfig): boolean => http.auth.apiKeys.length > 0 || Boolean(http.auth.oauth) || Boolean(http.auth.mtls);

/** What must hold before a socket opens: every request will be authenticated, and the Host check can pass. */
function checkHttpConfig(http: HttpConfig): void {
  const problem = hostCheckProblem(http);
  if (problem) throw new TaigaMcpError('CONFIG_INVALID', { message: problem });
  if (!authConfigured(http) && !isLoopbackHost(http.host)) {
    throw new TaigaMcpError('CONFIG_INVALID', {
      message: `http: bound to ${http.host} with no auth configured; set http.auth.apiKeys (make one with \`taiga-mcp keygen\`), http.auth.oauth or http.auth.mtls, or bind to 127.0.0.1`,
    });
  }
  if (http.auth.mtls && !http.tls?.clientCa) throw new TaigaMcpError('CONFIG_INVALID', { message: 'http.auth.mtls needs http.tls with cert, key and clientCa' });
}

/** A toolset that toolScopes names must exist: a misspelt one would leave its tools open to every token. */
function checkScopedToolsets(http: HttpConfig, app: App): void {
  const known = new Set(app.inventory.toolsets.map((t) => t.id));
  const unknown = Object.keys(http.auth.oauth?.toolScopes.toolsets ?? {}).filter((id) => !known.has(id));
  if (unknown.length) throw new TaigaMcpError('TOOLSET_UNKNOWN', { message: `http.auth.oauth.toolScopes.toolsets: unknown toolset "${unknown[0]}"; known: ${[...known].join(', ')}.` });
}

export interface ServingHttp {
  app: App;
  server: RunningHttpServer;
  /** The file holding the key made at start (loopback with no auth configured). */
  keyFile: string | undefined;
  close(): Promise<void>;
}

/**
 * HTTP mode: the app with Prometheus metrics, the authenticators the config asks for (or, on
 * loopback with none, a key made now and written to a file only this user can read), and the
 * listener. Signals are the caller's (cli.ts): SIGTERM drains, SIGHUP reloads TLS.
 */
export async function serveHttp(config: Config, logger: Logger): Promise<ServingHttp> {
  const http = config.http;
  checkHttpConfig(http);
  const metrics = createMetrics();
  const app = await createApp({ config, logger, telemetry: metrics, accounts: (hosts, configured) => principalAccounts(http.auth.apiKeys, hosts, configured) });
  metrics.countSessionsWith(() => app.store.activeSessions());
  const local = authConfigured(http) ? undefined : newApiKey();
  let keys: ApiKeys;
  try {
    keys = new ApiKeys(http.auth.apiKeys, local ? [{ sha256: local.sha256, principal: LOCAL_PRINCIPAL }] : [], app.inventory.toolsets);
    checkScopedToolsets(http, app);
  } catch (err) {
    await app.close();
    throw err;
  }
  const scheme = http.tls ? 'https' : 'http';
  const resource = `${(http.publicUrl ?? `${scheme}://${http.host.includes(':') ? `[${http.host}]` : http.host}:${http.port}`).replace(/\/+$/, '')}/mcp`;
  const oauth = http.auth.oauth ? new OAuthVerifier(http.auth.oauth, resource, logger) : undefined;
  const metadataUrl = oauth ? `${new URL(resource).origin}/.well-known/oauth-protected-resource/mcp` : undefined;
  const authenticator = createAuthenticator({ keys, ...(oauth && { oauth }), ...(http.auth.mtls && { mtls: http.auth.mtls }), ...(metadataUrl && { metadataUrl }) });
  let server: RunningHttpServer;
  try {
    server = await startHttpServer({ app, config: http, logger, metrics, authenticator, oauth, failedAuth: new FailedAuthLimiter(app.store, http.authFailures) });
  } catch (err) {
    await app.close();
    if (err instanceof TaigaMcpError) throw err; // a certificate file that cannot be read says so itself
    const code = (err as NodeJS.ErrnoException).code;
    throw new TaigaMcpError('CONFIG_INVALID', { message: `http: cannot listen on ${http.host}:${http.port} (${code ?? (err as Error).message})` });
  }
  let keyFile: string | undefined;
  if (local) {
    const written = writeLocalKey(server.port, local.key);
    keyFile = written;
    logger.warn({ key_file: written }, `no http.auth configured: made a key for this run; clients send "Authorization: Bearer <the key in ${written}>"`);
  }
  const methods = [http.auth.apiKeys.length && 'api-keys', oauth && 'oauth', http.auth.mtls && 'mtls', local && 'local-key'].filter(Boolean);
  logger.info({ url: server.mcpUrl, ops: server.opsUrl, auth: methods, tools: app.tools.size }, 'taiga-mcp ready on http');
  return {
    app,
    server,
    keyFile,
    async close() {
      await server.shutdown(http.drainSeconds * 1000);
      await app.close();
    },
  };
}
