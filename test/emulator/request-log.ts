// The emulator's request log, bounded so that a long demo does not grow
// without limit: the last MAX_REQUESTS requests, bodies only under
// MAX_BODY_BYTES, and running totals that survive entries dropping off.
import type { RecordedRequest } from './index.js';

export const MAX_REQUESTS = 10_000;
export const MAX_BODY_BYTES = 64 * 1024;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Logging in and refreshing are not writes to Taiga's data. */
const AUTH_PATHS = new Set(['/api/v1/auth', '/api/v1/auth/refresh']);

/** What a recorded request keeps of a body at or above MAX_BODY_BYTES. */
export interface OmittedBody {
  omitted: true;
  bytes: number;
}

export const isWrite = (r: Pick<RecordedRequest, 'method' | 'path'>) => WRITE_METHODS.has(r.method) && !AUTH_PATHS.has(r.path);

export class RequestLog {
  /** Oldest first; trimmed in place so that callers holding the array see the current window. */
  readonly entries: RecordedRequest[] = [];
  private requests = 0;
  private writes = 0;

  constructor(readonly recording: boolean, private readonly max = MAX_REQUESTS) {}

  /** Counts the request and, when recording, keeps it; the returned record is filled in as the reply goes out. */
  add(record: RecordedRequest): RecordedRequest {
    this.requests += 1;
    if (isWrite(record)) this.writes += 1;
    if (!this.recording) return record;
    this.entries.push(record);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    return record;
  }

  get totalRequests(): number {
    return this.requests;
  }
  get totalWrites(): number {
    return this.writes;
  }

  clear(): void {
    this.entries.length = 0;
    this.requests = 0;
    this.writes = 0;
  }
}
