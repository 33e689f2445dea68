import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { App } from '../app.js';
import type { HttpConfig } from '../config/http-schema.js';
import type { Logger } from '../logger.js';
import type { Authenticator, AuthOutcome } from './auth/authenticate.js';
import type { FailedAuthLimiter } from './auth/failed-auth.js';
import { clientAddress, trustedProxies } from './client-address.js';
import type { OAuthVerifier } from './auth/oauth.js';
import type { Metrics } from './metrics.js';
import { createMcpEndpoint } from './mcp-endpoint.js';
import { readinessProbe } from './readiness.js';
import { readTlsFiles } from './tls.js';
import { allowedHostnames, allowedOriginHostnames } from './allow-lists.js';
import { hostRefusal, mcpHeaderRefusal, originRefusal, targetRefusal, type Refusal } from './request-guards.js';

export interface HttpServerDeps {
  app: App;
  config: HttpConfig;
  logger: Logger;
  metrics: Metrics;
  authenticator: Authenticator;
  oauth: OAuthVerifier | undefined;
  failedAuth: FailedAuthLimiter;
}

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:8787/mcp`. */
  readonly mcpUrl: string;
  readonly port: number;
  /** The ops listener (health and metrics), when configured. */
  readonly opsUrl: string | undefined;
  /** Reads the TLS files again and uses them for new connections; open ones carry on. */
  reloadTls(): void;
  /** Stops accepting, lets in-flight calls finish for up to `ms`, then closes everything. */
  shutdown(ms: number): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

/** Answered as the SDK answers a transport-level refusal (a JSON-RPC error with no id). */
const refuse = (res: ServerResponse, { status, message }: Refusal): void => json(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null });

const METADATA_PATHS = new Set(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']);
/** Route labels of the HTTP metric: anything else counts as `other`, so a scan cannot grow the label set. */
const KNOWN_ROUTES = new Set(['/mcp', '/healthz', '/readyz', '/metrics', ...METADATA_PATHS]);

/** The listener(s) of HTTP mode: /mcp behind Host, Origin and auth checks; health, readiness, metrics and RFC 9728 metadata. */
export async function startHttpServer(deps: HttpServerDeps): Promise<RunningHttpServer> {
  const { app, config, logger, metrics, authenticator, oauth, failedAuth } = deps;
  const proxies = trustedProxies([...config.trustedProxies, ...(config.trustProxy ? ['127.0.0.0/8', '::1'] : [])]);
  const endpoint = createMcpEndpoint(app, { maxBodyBytes: config.maxBodyBytes, logger });
  const ready = readinessProbe(app);
  const hostnames = allowedHostnames(config);
  const originHostnames = allowedOriginHostnames(config);
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const ops = async (path: string, res: ServerResponse): Promise<boolean> => {
    if (path === '/healthz') return json(res, 200, { status: 'ok' }), true;
    if (path === '/readyz') {
      const r = await ready();
      return json(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks }), true;
    }
    if (path === '/metrics') {
      const { contentType, body } = await metrics.render();
      return res.writeHead(200, { 'content-type': contentType }).end(body), true;
    }
    return false;
  };

  const tooMany = (res: ServerResponse, seconds: number): void => json(res, 429, { error: 'too_many_failed_attempts', error_description: `too many failed authentications from this address; try again in ${seconds} s` }, { 'retry-after': String(seconds) });

  /**
   * Who is calling, or undefined once the request is answered: 429 while the client's address is
   * locked out (before its credential is looked at), else the 401/403 of a credential that fails,
   * a failed one counted against the address.
   */
  const authenticated = async (req: IncomingMessage, res: ServerResponse): Promise<Extract<AuthOutcome, { ok: true }> | undefined> => {
    const address = clientAddress(req, proxies);
    const locked = await failedAuth.waitFor(address);
    if (locked) return tooMany(res, locked), undefined;
    const outcome = await authenticator.authenticate(req);
    if (outcome.ok) return outcome;
    if (outcome.error === 'invalid_token') {
      const lockout = await failedAuth.failed(address);
      if (lockout) {
        logger.warn({ client: address, lockout_s: lockout }, 'too many failed authentications from one address; locked out');
        return tooMany(res, lockout), undefined;
      }
    }
    json(res, outcome.status, { error: outcome.error === 'missing' ? 'unauthorized' : outcome.error, error_description: outcome.description }, { 'www-authenticate': outcome.challenge });
    return undefined;
  };

  const serveMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const outcome = await authenticated(req, res);
    if (!outcome) return;
    const refusal = mcpHeaderRefusal(req);
    if (refusal) return refuse(res, refusal);
    inFlight += 1;
    // Past the deadline the response is cut: the SDK aborts the handler, the call ends CANCELLED.
    const timer = setTimeout(() => {
      logger.warn({ principal: outcome.principal, limit_s: config.requestTimeoutSeconds }, 'MCP HTTP request over its time limit; closed');
      res.destroy();
    }, config.requestTimeoutSeconds * 1000);
    res.once('close', () => {
      clearTimeout(timer);
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    });
    await endpoint.serve(req, res, { principal: outcome.principal, source: outcome.principal, grant: outcome.grant }, authenticator.insufficientScope);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, opsHere: boolean): Promise<void> => {
    const target = targetRefusal(req);
    const path = target ? '' : new URL(`http://localhost${req.url}`).pathname;
    const started = performance.now();
    res.once('finish', () => {
      metrics.httpRequest(KNOWN_ROUTES.has(path) ? path : 'other', res.statusCode);
      logger.debug({ method: req.method, path: path.slice(0, 100), status: res.statusCode, ms: Math.round(performance.now() - started), client: clientAddress(req, proxies) }, 'http request');
    });
    if (target) return refuse(res, target);
    // The ops listener serves only health and metrics. Health needs no Host check anywhere (load
    // balancers and scrapers use addresses); everything else on the public listener does.
    if (opsHere || path === '/healthz' || path === '/readyz') {
      if (!(await ops(path, res))) json(res, 404, { error: 'not_found' });
      return;
    }
    const refusal = hostRefusal(req, hostnames) ?? originRefusal(req, originHostnames);
    if (refusal) return refuse(res, refusal);
    if (path === '/mcp') return serveMcp(req, res);
    if (METADATA_PATHS.has(path) && oauth) return json(res, 200, oauth.metadata(), { 'cache-control': 'max-age=3600' });
    if (path === '/metrics') {
      // On the public listener metrics need a credential; a separate ops port is for the scraper.
      if (!(await authenticated(req, res))) return;
    }
    if (await ops(path, res)) return;
    json(res, 404, { error: 'not_found' });
  };

  const handle = (opsHere: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, opsHere).catch((err: unknown) => {
      logger.error({ err: (err as Error)?.message?.slice(0, 200) }, 'HTTP request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal' });
      else res.destroy();
    });
  };

  const tls = config.tls;
  const main: Server = tls
    ? createHttpsServer({ ...readTlsFiles(tls), requestCert: Boolean(config.auth.mtls), rejectUnauthorized: false }, handle(false))
    : createHttpServer(handle(false));
  tune(main);
  const port = await listen(main, config.port, config.host);
  const opsServer = config.ops ? createHttpServer(handle(true)) : undefined;
  const opsPort = opsServer && config.ops ? await listen(opsServer, config.ops.port, config.ops.host) : undefined;
  const scheme = tls ? 'https' : 'http';
  const hostPart = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    mcpUrl: `${scheme}://${hostPart}:${port}/mcp`,
    port,
    opsUrl: opsPort === undefined ? undefined : `http://${config.ops!.host}:${opsPort}`,
    reloadTls() {
      if (!tls) return;
      (main as ReturnType<typeof createHttpsServer>).setSecureContext(readTlsFiles(tls));
    },
    async shutdown(ms) {
      const closed = Promise.all([new Promise((r) => main.close(r)), opsServer && new Promise((r) => opsServer.close(r))]);
      main.closeIdleConnections();
      if (inFlight > 0) await Promise.race([new Promise<void>((r) => (idle = r)), new Promise((r) => setTimeout(r, ms).unref())]);
      main.closeAllConnections();
      opsServer?.closeAllConnections();
      await closed;
      await endpoint.close();
    },
  };
}

/** Node's defaults suit browsers; behind a load balancer keep-alive must outlast its idle timeout (often 60 s). */
function tune(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
