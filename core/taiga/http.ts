import { setTimeout as sleep } from 'node:timers/promises';
import { rootCertificates } from 'node:tls';
import type { Agent } from 'undici';
import { TaigaMcpError, isTaigaMcpError } from '../errors.js';
import { parseLoginBody, parseRefreshBody, type LoginResult, type RefreshResult } from './auth-bodies.js';
import { mapTaigaResponseError, throttleWaitSeconds } from './error-mapping.js';
import { collectAll, DEFAULT_CAP, readPage, type AllResult, type PageResult } from './pagination.js';
import { assertApiPath, loggablePath, queryString, type Query } from './request-target.js';
import { cancelledError, classifyTransportError, timeoutError } from './transport-errors.js';
import { isWellFormedAuthorization } from '../credentials/authorization.js';
import { exchange, ExchangeStopped } from './exchange.js';

import type { CallOptions, RetryOptions, TaigaHttpLogger, TaigaHttpObserver, TaigaHttpOptions, TaigaRequest, TaigaRequestTracer, TaigaResponse } from './http-types.js';
export type { CallOptions, RetryOptions, StreamBody, TaigaHttpLogger, TaigaHttpObserver, TaigaHttpOptions, TaigaMethod, TaigaRequest, TaigaRequestTracer, TaigaResponse } from './http-types.js';

/** Taiga's lazy paginator (taiga-api.md §4): no COUNT query, so no `x-pagination-count`. */
const LAZY = { 'x-lazy-pagination': 'true' };

const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2000, maxThrottleWaitMs: 10_000 };
const SILENT: TaigaHttpLogger = { debug: () => {}, warn: () => {} };

/** The outcome of one attempt: an answer, or an error plus whether (and when) a read may retry. */
type Attempt<T> =
  | { ok: true; response: TaigaResponse<T> }
  | { ok: false; error: TaigaMcpError; retryable: boolean; waitMs?: number };

/**
 * The one way the server talks to Taiga: a keep-alive pool per origin, a deadline on every
 * attempt, retries for reads only, and every failure turned into a catalog error.
 */
export class TaigaHttp {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly apiPath: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryOptions;
  private readonly logger: TaigaHttpLogger;
  private readonly userAgent: string;
  private readonly maxResponseBytes: number;
  private readonly maxListItems: number;
  private agent: Promise<Agent> | undefined;
  /** The agent once loaded: later requests skip a turn of the event loop. */
  private loadedAgent: Agent | undefined;
  private readonly agentOptions: ConstructorParameters<typeof Agent>[0];
  private readonly observer: TaigaHttpObserver | undefined;
  /** Public for download.ts, whose requests are spans too. */
  readonly tracer: TaigaRequestTracer | undefined;
  private closed = false;

  constructor(opts: TaigaHttpOptions) {
    const url = new URL(opts.baseUrl);
    this.baseUrl = opts.baseUrl;
    this.origin = url.origin;
    this.apiPath = url.pathname.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.logger = opts.logger ?? SILENT;
    this.userAgent = opts.userAgent ?? 'taiga-mcp';
    this.maxResponseBytes = opts.maxResponseBytes ?? 32 * 1024 * 1024;
    this.maxListItems = opts.maxListItems ?? DEFAULT_CAP;
    // An Agent keeps one Pool per origin. `connections` bounds it (undici's default is unlimited).
    // undici's own timeouts have 1 s granularity: they are only a backstop behind AbortSignal.timeout.
    this.agentOptions = {
      connections: opts.connections ?? 16,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: opts.timeoutMs + 1000,
      bodyTimeout: opts.timeoutMs + 1000,
      // Stryker disable next-line MethodExpression,ArithmeticOperator: a backstop; the request's own deadline always ends a slow connect first.
      connect: { timeout: Math.min(opts.timeoutMs + 1000, 10_000), ...(opts.ca && { ca: [...rootCertificates, opts.ca] }) },
    };
    this.observer = opts.observer;
    this.tracer = opts.tracer;
  }

  /**
   * undici is loaded at the first request, not at start-up: its import is a third of a cold start.
   * A failed load is our installation's fault, never Taiga's (INTERNAL, with the cause for the log),
   * and is not kept: the next request tries again.
   */
  pool(): Promise<Agent> {
    this.agent ??= import('undici').then(
      ({ Agent: AgentClass }) => (this.loadedAgent = new AgentClass(this.agentOptions)),
      (err: unknown) => {
        this.agent = undefined;
        throw new TaigaMcpError('INTERNAL', { message: 'taiga-mcp could not load its HTTP client (its installation changed or is incomplete; restart or reinstall it).', cause: err });
      },
    );
    return this.agent;
  }

  /** Sends one request (retrying GETs); resolves only with a 2xx, else throws a TaigaMcpError. */
  async request<T = unknown>(req: TaigaRequest): Promise<TaigaResponse<T>> {
    if (this.closed) throw new TaigaMcpError('INTERNAL', { message: 'The Taiga HTTP client is closed.' });
    assertApiPath(req.path);
    if (req.authorization !== undefined && !isWellFormedAuthorization(req.authorization)) {
      throw new TaigaMcpError('AUTH_FAILED', { message: 'The session token is malformed.', details: { taiga_code: 'token_not_valid' } });
    }
    const maxAttempts = req.method === 'GET' ? Math.max(1, this.retry.attempts) : 1;

    for (let attempt = 1; ; attempt += 1) {
      if (req.signal?.aborted) throw cancelledError(req.signal.reason);
      const outcome = await this.attempt<T>(req, attempt);
      if (outcome.ok) return outcome.response;
      if (!outcome.retryable || attempt >= maxAttempts) throw outcome.error;

      const delayMs = outcome.waitMs ?? this.backoffMs(attempt);
      this.logger.debug({ method: req.method, path: loggablePath(req.path, req.query), attempt, retry_in_ms: delayMs }, 'taiga retry');
      this.observer?.retry(req.method);
      // An abort ends the wait early, and the loop's first line turns it into CANCELLED.
      await sleep(delayMs, undefined, { signal: req.signal }).catch(() => undefined);
    }
  }

  /** One page of a list, with Taiga's pagination headers read into numbers. */
  async getPage<T>(path: string, query: Query | undefined, page: { page: number; pageSize: number }, opts: CallOptions & { lazy?: boolean } = {}): Promise<PageResult<T>> {
    const { lazy, ...call } = opts;
    const response = await this.request<unknown>({
      method: 'GET',
      path,
      query: { ...query, page: page.page, page_size: page.pageSize },
      ...(lazy && { headers: LAZY }),
      ...call,
    });
    return readPage<T>(response.headers, response.body, page, path);
  }

  /** Every item of a list, up to `cap` (default taiga.maxListItems); `truncated` says when there were more. */
  async getAll<T>(path: string, query: Query | undefined, opts: CallOptions & { cap?: number } = {}): Promise<AllResult<T>> {
    const { cap = this.maxListItems, ...call } = opts;
    // The first page brings the count; Taiga need not count again for the pages after it.
    return collectAll<T>((page, pageSize) => this.getPage<T>(path, query, { page, pageSize }, { ...call, lazy: page > 1 }), cap);
  }

  /** POST /auth. Never retried: a login that failed in transit is reported, not repeated. */
  async login(username: string, password: string, signal?: AbortSignal): Promise<LoginResult> {
    try {
      const response = await this.request({
        method: 'POST',
        path: '/auth',
        body: { type: 'normal', username, password },
        ...(signal && { signal }),
      });
      return parseLoginBody(response.body);
    } catch (err) {
      if (isTaigaMcpError(err) && err.code === 'AUTH_FAILED') {
        throw new TaigaMcpError('AUTH_FAILED', { message: 'Taiga rejected the username or password.', details: err.details });
      }
      throw err;
    }
  }

  /** POST /auth/refresh. The old refresh token is spent either way (Taiga denylists it on rotation). */
  async refresh(refreshToken: string, signal?: AbortSignal): Promise<RefreshResult> {
    try {
      const response = await this.request({ method: 'POST', path: '/auth/refresh', body: { refresh: refreshToken }, ...(signal && { signal }) });
      return parseRefreshBody(response.body);
    } catch (err) {
      if (isTaigaMcpError(err) && err.code === 'AUTH_FAILED') {
        throw new TaigaMcpError('AUTH_FAILED', {
          message: 'Taiga rejected the refresh token (invalid, expired or already used).',
          details: { taiga_code: 'token_not_valid' },
          hint: 'Call login again.',
        });
      }
      throw err;
    }
  }

  /** GET the API root (`/api/v1/`), which answers anonymously: proves Taiga is reachable. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.request({ method: 'GET', path: '/', ...(signal && { signal }) });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.agent) await (await this.agent).close();
  }

  private async attempt<T>(req: TaigaRequest, attempt: number): Promise<Attempt<T>> {
    const started = performance.now();
    const log = (fields: { status?: number; error?: string; reason?: unknown }): void => {
      const ms = performance.now() - started;
      // Stryker disable next-line LogicalOperator,StringLiteral: every call of log() names a status or an error; 'error' is never used.
      this.observer?.attempt(req.method, fields.status ?? fields.error ?? 'error', ms);
      // Stryker disable next-line LogicalOperator,StringLiteral: as above.
      endSpan?.(fields.error ?? fields.status ?? 'error');
      if (this.logger.isLevelEnabled?.('debug') === false) return;
      this.logger.debug({ method: req.method, path: loggablePath(req.path, req.query), attempt, ms: Math.round(ms), ...fields }, 'taiga request');
    };

    // Built before the transport `try`: a string that cannot be encoded is our bug, never "Taiga is down".
    let target: string;
    let payload: string | undefined;
    try {
      target = `${this.apiPath}${req.path}${queryString(req.query)}`;
      // Stryker disable next-line ConditionalExpression,LogicalOperator: JSON.stringify(undefined) is undefined too; the check is for the type checker.
      payload = req.body === undefined || req.stream ? undefined : JSON.stringify(req.body);
    } catch (err) {
      throw new TaigaMcpError('INTERNAL', { message: 'taiga-mcp built a request it cannot encode.', cause: err });
    }
    // Loaded before the transport `try` too: a client that cannot load is never "Taiga is down".
    const agent = this.loadedAgent ?? (await this.pool());
    const endSpan = this.tracer?.taigaRequest(req.method, req.path, this.origin, attempt);
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const answer = await exchange(agent, {
        origin: this.origin,
        path: target,
        method: req.method,
        headers: this.headersFor(req),
        body: req.stream ? req.stream.open() : payload,
        limit: this.maxResponseBytes,
        timeoutMs: this.timeoutMs,
        ...(req.signal && { signal: req.signal }),
      });
      status = answer.status;
      if (answer.kind === 'too_large') {
        log({ status, error: 'too_large' });
        return { ok: false, retryable: false, error: new TaigaMcpError('TAIGA_UNAVAILABLE', { message: `Taiga's answer is larger than the ${this.maxResponseBytes} bytes this server accepts (taiga.maxResponseBytes).`, details: { status, limit_bytes: this.maxResponseBytes } }) };
      }
      headers = answer.headers;
      text = answer.text;
    } catch (err) {
      // Which signal fired decides the meaning: the caller gave up, or Taiga was too slow.
      if (req.signal?.aborted) {
        log({ error: 'cancelled' });
        return { ok: false, error: cancelledError(req.signal.reason), retryable: false };
      }
      // Stryker disable next-line LogicalOperator,ConditionalExpression: a stop by the caller never gets here (its signal is aborted, handled above).
      const failure = err instanceof ExchangeStopped && err.by === 'deadline' ? { error: timeoutError(this.timeoutMs, err), retryable: true } : classifyTransportError(err, this.timeoutMs);
      log({ error: failure.error.code, reason: failure.error.details?.['reason'] });
      return { ok: false, ...failure };
    }

    log({ status });
    const parsed = parseJson(text);
    // Stryker disable next-line ConditionalExpression: undici never ends an exchange on a 1xx status.
    if (status >= 200 && status < 300) {
      if (parsed.kind === 'invalid') {
        return { ok: false, retryable: false, error: new TaigaMcpError('TAIGA_UNAVAILABLE', { message: 'Taiga answered with a body that is not JSON.', details: { status } }) };
      }
      return { ok: true, response: { status, headers, body: (parsed.kind === 'empty' ? null : parsed.value) as T } };
    }

    const error = mapTaigaResponseError(status, headers, parsed.value, { method: req.method, path: req.path });
    if (status === 429) {
      const waitMs = throttleWaitSeconds(headers, parsed.value) * 1000;
      if (waitMs > this.retry.maxThrottleWaitMs) this.logger.warn({ method: req.method, path: loggablePath(req.path, req.query), wait_ms: waitMs }, 'taiga throttle wait too long; not waiting');
      return { ok: false, error, retryable: waitMs <= this.retry.maxThrottleWaitMs, waitMs };
    }
    return { ok: false, error, retryable: status >= 500 };
  }

  private headersFor(req: TaigaRequest): Record<string, string> {
    const headers: Record<string, string> = {};
    // Lower-cased so that a caller's `Authorization` cannot sit beside ours as a second header.
    if (req.headers) for (const name of Object.keys(req.headers)) headers[name.toLowerCase()] = req.headers[name]!;
    headers['accept'] = 'application/json';
    headers['user-agent'] = this.userAgent;
    if (req.stream) {
      headers['content-type'] = req.stream.contentType;
      headers['content-length'] = String(req.stream.length);
    } else if (req.body !== undefined) headers['content-type'] = 'application/json';
    // Stryker disable next-line ConditionalExpression: undici leaves out a header whose value is undefined.
    if (req.authorization !== undefined) headers['authorization'] = req.authorization;
    return headers;
  }

  /** Exponential, capped, with "equal jitter": half fixed, half random, so retries spread out. */
  private backoffMs(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}

type Parsed = { kind: 'empty' | 'invalid'; value?: undefined } | { kind: 'json'; value: unknown };

function parseJson(text: string): Parsed {
  try {
    // Stryker disable next-line StringLiteral: callers tell only 'empty' and 'invalid' apart.
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    // Checked only here: a body of whitespace is not JSON, and most bodies are.
    return text.trim() === '' ? { kind: 'empty' } : { kind: 'invalid' };
  }
}
