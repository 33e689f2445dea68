import { TaigaMcpError } from '../errors.js';

/** A failure before a complete answer arrived, and whether a read may try again. */
export interface TransportFailure {
  error: TaigaMcpError;
  retryable: boolean;
}

/** Network hiccups that a second attempt can get past. */
const TRANSIENT = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);
/** undici's own (coarse, 1 s granularity) deadlines: a backstop behind our AbortSignal.timeout. */
const UNDICI_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CLIENT_CLOSED = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
const TLS = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH)/;
/**
 * The codes of a failure on the way to Taiga: the system's (ECONNRESET, EHOSTDOWN…), undici's and
 * Node's socket errors. Any other code (ERR_MODULE_NOT_FOUND, ERR_INVALID_ARG_TYPE…) is a fault of
 * this server, which must not be answered as "Could not reach Taiga".
 */
const NETWORK = /^(E[A-Z0-9]+|UND_ERR_[A-Z_]+|ERR_SOCKET_[A-Z_]+)$/;

/** The error code of a Node or undici error, looking one `cause` deep (some errors are wrapped). */
export function errorCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 3; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function timeoutError(timeoutMs: number, cause?: unknown): TaigaMcpError {
  return new TaigaMcpError('TIMEOUT', {
    message: `Taiga did not answer within ${timeoutMs} ms.`,
    details: { timeout_ms: timeoutMs },
    ...(cause !== undefined && { cause }),
  });
}

export function cancelledError(cause?: unknown): TaigaMcpError {
  return new TaigaMcpError('CANCELLED', { message: 'The request to Taiga was cancelled.', ...(cause !== undefined && { cause }) });
}

/**
 * Classifies an error thrown by undici that was not caused by our own abort signals.
 * Messages name only the error code, never the URL (it may hold ids of private objects) or headers.
 */
export function classifyTransportError(err: unknown, timeoutMs: number): TransportFailure {
  const code = errorCodeOf(err);
  // Network errors always carry a network code; a throw without one is a bug of ours, not Taiga being down.
  if (code === undefined || !(NETWORK.test(code) || TLS.test(code))) {
    return { error: new TaigaMcpError('INTERNAL', { message: 'An unexpected error occurred while talking to Taiga.', cause: err }), retryable: false };
  }
  if (UNDICI_TIMEOUTS.has(code)) return { error: timeoutError(timeoutMs, err), retryable: true };
  if (CLIENT_CLOSED.has(code)) {
    return { error: new TaigaMcpError('INTERNAL', { message: 'The Taiga HTTP client is closed.', cause: err }), retryable: false };
  }
  if (code === 'UND_ERR_INVALID_ARG') {
    return { error: new TaigaMcpError('INTERNAL', { message: 'taiga-mcp built an invalid HTTP request.', cause: err }), retryable: false };
  }
  if (code === 'ENOTFOUND') {
    return {
      error: new TaigaMcpError('TAIGA_UNAVAILABLE', {
        message: 'The Taiga host name could not be resolved; check the configured Taiga URL.',
        details: { reason: code },
        cause: err,
      }),
      retryable: false,
    };
  }
  if (TLS.test(code)) {
    return {
      error: new TaigaMcpError('TAIGA_UNAVAILABLE', {
        message: `The TLS connection to Taiga failed (${code}).`,
        details: { reason: code },
        hint: 'Check the Taiga server certificate (or NODE_EXTRA_CA_CERTS for a private CA).',
        cause: err,
      }),
      retryable: false,
    };
  }
  return {
    error: new TaigaMcpError('TAIGA_UNAVAILABLE', {
      message: `Could not reach Taiga (${code}).`,
      details: { reason: code },
      cause: err,
    }),
    retryable: TRANSIENT.has(code),
  };
}
