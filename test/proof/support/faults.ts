import type { ErrorCode } from '../../../core/errors.js';
import type { FaultTarget, Knobs } from '../../emulator/index.js';

/** Attempts a read gets (taiga.retries in the matrix's config); writes always get one. */
export const ATTEMPTS = 2;

/** One way Taiga can fail a request, and what the server must make of it. */
export interface FaultCase {
  name: string;
  arm(knobs: Knobs, count: number, target: FaultTarget): void;
  /** The code of a call that failed on it. */
  code: ErrorCode;
  /** Taiga handled the request before the fault spoiled the answer: a write was applied. */
  handled: boolean;
  /** An answer without a body (a DELETE's 204) comes through whole. */
  spareEmpty?: boolean;
  /** How many attempts a read makes when the fault persists. */
  readAttempts: number;
  /** A write that met it may have been applied (details.outcome_unknown, bulk item `unknown`). */
  uncertain: boolean;
}

export const FAULTS: FaultCase[] = [
  { name: '500', arm: (k, n, t) => k.failNext(n, t), code: 'TAIGA_UNAVAILABLE', handled: false, readAttempts: ATTEMPTS, uncertain: true },
  { name: '502 with an HTML body', arm: (k, n, t) => k.failNext(n, { ...t, status: 502, html: true }), code: 'TAIGA_UNAVAILABLE', handled: false, readAttempts: ATTEMPTS, uncertain: true },
  { name: 'connection reset before the answer', arm: (k, n, t) => k.resetNext(n, t), code: 'TAIGA_UNAVAILABLE', handled: false, readAttempts: ATTEMPTS, uncertain: true },
  { name: 'connection reset after part of the body', arm: (k, n, t) => k.resetAfterBodyNext(n, t), code: 'TAIGA_UNAVAILABLE', handled: true, readAttempts: ATTEMPTS, uncertain: true },
  { name: 'timeout (no answer)', arm: (k, n, t) => k.hangNext(n, t), code: 'TIMEOUT', handled: false, readAttempts: ATTEMPTS, uncertain: true },
  { name: 'slow body (headers on time, body past the deadline)', arm: (k, n, t) => k.slowBodyNext(n, { ...t, tickMs: 250 }), code: 'TIMEOUT', handled: true, spareEmpty: true, readAttempts: ATTEMPTS, uncertain: true },
  { name: '429 with X-Throttle-Wait-Seconds: 1', arm: (k, n, t) => k.throttleNext(n, 1, t), code: 'RATE_LIMITED', handled: false, readAttempts: ATTEMPTS, uncertain: false },
  // Longer than the server waits (10 s): a read fails at once instead of sleeping through the call.
  { name: '429 with X-Throttle-Wait-Seconds: 60', arm: (k, n, t) => k.throttleNext(n, 60, t), code: 'RATE_LIMITED', handled: false, readAttempts: 1, uncertain: false },
];
