import { TaigaMcpError } from './errors.js';
import { readFileSync } from 'node:fs';
import { TaigaHttp, type TaigaHttpObserver, type TaigaRequestTracer } from './taiga/http.js';
import { normaliseBaseUrl } from './taiga/base-url.js';
import { derivedFrontUrl, normaliseFrontUrl } from './taiga/front-url.js';
import type { Config } from './config/schema.js';
import type { Logger } from './logger.js';

/**
 * The Taiga instances this server may talk to, each with one keep-alive client.
 * The `login` tool's host must be one of them, so it cannot probe other machines.
 */
export class TaigaHosts {
  readonly defaultApiUrl: string;
  private readonly allowed: Set<string>;
  private readonly clients = new Map<string, TaigaHttp>();
  private readonly ca: string | undefined;
  private readonly configuredFront: string | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly observer?: TaigaHttpObserver,
    private readonly tracer?: TaigaRequestTracer,
  ) {
    const allowHttp = config.taiga.allowHttp;
    if (!config.taiga.url) throw new TaigaMcpError('CONFIG_INVALID', { message: 'taiga.url (TAIGA_API_URL) is not set' });
    this.defaultApiUrl = normaliseBaseUrl(config.taiga.url, { allowHttp });
    this.allowed = new Set([this.defaultApiUrl, ...config.taiga.allowedHosts.map((h) => normaliseBaseUrl(h, { allowHttp }))]);
    this.ca = config.taiga.caFile === undefined ? undefined : readCa(config.taiga.caFile);
    this.configuredFront = config.taiga.frontUrl === undefined ? undefined : normaliseFrontUrl(config.taiga.frontUrl);
  }

  /** The web front-end of a Taiga: taiga.frontUrl for the configured one, else derived from its API URL. */
  frontUrl(apiUrl: string): string {
    return apiUrl === this.defaultApiUrl && this.configuredFront !== undefined ? this.configuredFront : derivedFrontUrl(apiUrl);
  }

  /** The API URL for a host the caller named, or the default; HOST_NOT_ALLOWED before any connection. */
  resolve(host: string | undefined): string {
    if (host === undefined || host === '') return this.defaultApiUrl;
    let apiUrl: string;
    try {
      apiUrl = normaliseBaseUrl(host, { allowHttp: this.config.taiga.allowHttp });
    } catch {
      throw new TaigaMcpError('HOST_NOT_ALLOWED', { details: { allowed_hosts: [...this.allowed].map(origin) } });
    }
    if (!this.allowed.has(apiUrl)) throw new TaigaMcpError('HOST_NOT_ALLOWED', { details: { allowed_hosts: [...this.allowed].map(origin) } });
    return apiUrl;
  }

  /** The client of an allowed Taiga (checked at each use). */
  client(apiUrl: string = this.defaultApiUrl): TaigaHttp {
    this.requireAllowed(apiUrl);
    let http = this.clients.get(apiUrl);
    if (!http) {
      http = new TaigaHttp({
        baseUrl: apiUrl,
        timeoutMs: this.config.taiga.requestTimeoutSeconds * 1000,
        retry: { attempts: this.config.taiga.retries, baseDelayMs: 200, maxDelayMs: 2000, maxThrottleWaitMs: 10_000 },
        logger: this.logger,
        userAgent: 'taiga-mcp',
        maxResponseBytes: this.config.taiga.maxResponseBytes,
        maxListItems: this.config.taiga.maxListItems,
        ca: this.ca,
        observer: this.observer,
        tracer: this.tracer,
      });
      this.clients.set(apiUrl, http);
    }
    return http;
  }

  /** A session's URL comes from the store: a Taiga the configuration no longer allows (or a URL the store should never have held) gets no request. */
  private requireAllowed(apiUrl: string): void {
    if (!this.allowed.has(apiUrl)) throw new TaigaMcpError('SESSION_INVALID', { message: 'This session is for a Taiga that this server does not allow (any more).', hint: 'Call login again.' });
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }
}

const origin = (apiUrl: string): string => apiUrl.replace(/\/api\/v1$/, '');

function readCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TaigaMcpError('CONFIG_INVALID', { message: `taiga.caFile (TAIGA_CA_FILE): cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new TaigaMcpError('CONFIG_INVALID', { message: `taiga.caFile (TAIGA_CA_FILE): ${file} holds no PEM certificate` });
  return pem;
}
