import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** One request and its whole answer, read into memory up to a limit. */
export type Exchange =
  | { kind: 'answer'; status: number; headers: Record<string, string>; text: string }
  | { kind: 'too_large'; status: number };

export interface ExchangeRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Readable;
  /** Past this many bytes of body the rest is dropped and the connection closed. */
  limit: number;
  timeoutMs: number;
  /** The caller's signal: aborting it ends the exchange at once. */
  signal?: AbortSignal;
}

/** Why an exchange ended without an answer when neither Taiga nor the network failed. */
export class ExchangeStopped extends Error {
  constructor(
    readonly by: 'deadline' | 'caller',
    readonly reason?: unknown,
  ) {
    super(`The request was stopped by its ${by}.`);
  }
}

/**
 * Sends one request on undici's dispatcher API and collects the answer. Not `request()`: that wraps
 * every answer in a stream, an async resource and a signal listener, which cost more than the rest
 * of a cached read. The deadline is a plain timer (millisecond precision, unlike undici's 1 s
 * timers) and settles the promise when it fires, even while the request waits for a connection.
 */
export function exchange(dispatcher: Dispatcher, req: ExchangeRequest): Promise<Exchange> {
  return new Promise<Exchange>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let stopReason: Error | undefined;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const caller = req.signal;

    // Safe to call more than once: a promise settles once, and the rest is idempotent.
    const settle = (done: () => void): void => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
      done();
    };
    const stop = (reason: ExchangeStopped): void => {
      settle(() => reject(reason));
      stopReason = reason;
      controller?.abort(reason);
    };
    const timer = setTimeout(() => stop(new ExchangeStopped('deadline')), req.timeoutMs);
    function onCallerAbort(): void {
      stop(new ExchangeStopped('caller', caller!.reason));
    }
    if (caller?.aborted) return onCallerAbort();
    // Removed by settle(), however the exchange ends.
    caller?.addEventListener('abort', onCallerAbort);

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (stopReason) c.abort(stopReason);
      },
      onResponseStart(_c, statusCode, raw) {
        status = statusCode;
        headers = flattenHeaders(raw);
      },
      onResponseData(c, chunk) {
        size += chunk.length;
        if (size > req.limit) {
          settle(() => resolve({ kind: 'too_large', status }));
          // Stryker disable next-line StringLiteral: the reason is never seen; the promise is already settled.
          c.abort(new Error('answer too large'));
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        // Stryker disable next-line ConditionalExpression: a fast path; Buffer.concat of one chunk gives the same text.
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        settle(() => resolve({ kind: 'answer', status, headers, text }));
      },
      onResponseError(_c, err) {
        settle(() => reject(err));
      },
    };
    try {
      dispatcher.dispatch({ origin: req.origin, path: req.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body }, handler);
    } catch (err) {
      settle(() => reject(err));
    }
  });
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    // Stryker disable next-line ConditionalExpression: undici never gives an undefined value; the type allows one.
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
