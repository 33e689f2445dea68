import { TaigaMcpError } from '../errors.js';
import type { Writable } from 'node:stream';
import type { StreamBody, TaigaHttp, TaigaRequest, TaigaResponse } from '../taiga/http.js';
import { download, type DownloadOptions } from '../taiga/download.js';
import type { AllResult, PageResult } from '../taiga/pagination.js';

export type { PageResult };

/** Where a session's `Authorization` value comes from, and how to get a fresh one after a 401. */
export interface TokenSource {
  current(signal: AbortSignal): Promise<string>;
  /** Called with the value Taiga rejected; returns a new one or throws SESSION_EXPIRED / AUTH_FAILED. */
  renew(rejected: string, signal: AbortSignal): Promise<string>;
}

type Query = TaigaRequest['query'];

/** The Taiga API as one caller sees it: token attached, renewed once on a 401. */
export class TaigaSession {
  constructor(
    private readonly http: TaigaHttp,
    private readonly tokens: TokenSource,
    private readonly signal: AbortSignal,
  ) {}

  get apiUrl(): string {
    return this.http.baseUrl;
  }

  async request<T>(req: Omit<TaigaRequest, 'authorization' | 'signal'>): Promise<TaigaResponse<T>> {
    // Only Taiga's own failures are marked: a token that could not be had or renewed sent nothing.
    return this.withToken((authorization) =>
      this.http.request<T>({ ...req, authorization, signal: this.signal }).catch((err: unknown) => {
        throw req.method === 'GET' ? err : markUncertainWrite(err);
      }),
    );
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>({ method: 'GET', path, query })).body;
  }

  async page<T>(path: string, query: Query, page: { page: number; pageSize: number }): Promise<PageResult<T>> {
    return this.withToken((authorization) => this.http.getPage<T>(path, query, page, { authorization, signal: this.signal }));
  }

  async all<T>(path: string, query: Query, cap?: number): Promise<AllResult<T>> {
    return this.withToken((authorization) => this.http.getAll<T>(path, query, { authorization, signal: this.signal, cap }));
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>({ method: 'POST', path, body })).body;
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>({ method: 'PATCH', path, body })).body;
  }

  async delete(path: string, query?: Query): Promise<void> {
    await this.request({ method: 'DELETE', path, query });
  }

  /** POSTs a streamed body (multipart); after a 401 it is opened again and sent once more with a fresh token. */
  async upload<T>(path: string, stream: StreamBody): Promise<T> {
    return (await this.request<T>({ method: 'POST', path, stream })).body;
  }

  /** A file Taiga serves, streamed into `sink`; the token goes only to the API's own origin. */
  async download(url: string, sink: Writable, opts: Omit<DownloadOptions, 'authorization' | 'signal'>): Promise<{ contentType: string | undefined; bytes: number }> {
    return download(this.http, url, sink, { ...opts, authorization: await this.tokens.current(this.signal), signal: this.signal });
  }

  private async withToken<R>(run: (token: string) => Promise<R>): Promise<R> {
    const token = await this.tokens.current(this.signal);
    try {
      return await run(token);
    } catch (err) {
      // Taiga authenticates before it does anything, so repeating after a 401 cannot double a write.
      if (!(err instanceof TaigaMcpError) || err.code !== 'AUTH_FAILED') throw err;
      const fresh = await this.tokens.renew(token, this.signal);
      return run(fresh);
    }
  }
}

/**
 * A write that timed out, lost its connection or met a 5xx may have been applied anyway:
 * say so, so that nobody retries it blindly (a refused connection never reached Taiga).
 */
function markUncertainWrite(err: unknown): unknown {
  if (!(err instanceof TaigaMcpError) || (err.code !== 'TIMEOUT' && err.code !== 'TAIGA_UNAVAILABLE')) return err;
  // Stryker disable next-line OptionalChaining: every TIMEOUT and TAIGA_UNAVAILABLE that TaigaHttp.request throws carries details
  if (err.details?.['reason'] === 'ECONNREFUSED') return err;
  return new TaigaMcpError(err.code, {
    message: `${err.message} The change may or may not have been applied.`,
    details: { ...err.details, outcome_unknown: true },
    hint: 'Read the object to see whether the change was applied before trying again.',
    cause: err,
  });
}
