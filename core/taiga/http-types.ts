import type { Readable } from 'node:stream';
import type { Query } from './request-target.js';

// The shapes of the Taiga HTTP client (http.ts): options, requests, responses, observers.

export interface RetryOptions {
  /** Total attempts for a GET, the first included. Writes always get exactly one. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 asking for a longer wait than this fails at once instead of waiting. */
  maxThrottleWaitMs: number;
}

export interface TaigaHttpLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  /** pino's: when present, a request's debug line is not even built unless debug is on. */
  isLevelEnabled?(level: string): boolean;
}

export interface TaigaHttpOptions {
  /** Already normalised (`…/api/v1`, see normaliseBaseUrl). */
  baseUrl: string;
  /** Whole-request deadline per attempt (REQUEST_TIMEOUT). */
  timeoutMs: number;
  retry?: Partial<RetryOptions>;
  /** Per-origin pool size. */
  connections?: number;
  /** Larger answers are refused (TAIGA_UNAVAILABLE) instead of being held in memory. */
  maxResponseBytes?: number;
  /** Default cap of getAll (taiga.maxListItems). */
  maxListItems?: number;
  logger?: TaigaHttpLogger;
  userAgent?: string;
  /** Extra trusted CA certificates (PEM), beside the system ones: a self-hosted Taiga with a private CA. */
  ca?: string;
  /** Told of every attempt's outcome and every retry (metrics). */
  observer?: TaigaHttpObserver;
  /** A span per attempt (tracing, when configured). */
  tracer?: TaigaRequestTracer;
}

export interface TaigaHttpObserver {
  /** `outcome` is the HTTP status, or the error code when no answer came. */
  attempt(method: TaigaMethod, outcome: number | string, ms: number): void;
  retry(method: TaigaMethod): void;
}

export interface TaigaRequestTracer {
  /** The span of one attempt, ended with its HTTP status or error code; undefined when there is nothing to trace. */
  taigaRequest(method: TaigaMethod, path: string, origin: string, attempt: number): ((outcome: number | string) => void) | undefined;
}

export type TaigaMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TaigaRequest {
  method: TaigaMethod;
  /** Relative to the API root, e.g. `/userstories/12`; no trailing slash, no query. */
  path: string;
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Or a streamed body (a multipart upload): opened afresh for each attempt, never held whole in memory. */
  stream?: StreamBody;
  /** The whole `Authorization` value (`Bearer …` or `Application …`); see credentials/authorization.ts. */
  authorization?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface StreamBody {
  contentType: string;
  length: number;
  open(): Readable;
}

export interface TaigaResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface CallOptions {
  authorization?: string;
  signal?: AbortSignal;
}
