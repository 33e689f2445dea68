/** The abort signal of one attempt: fires at the deadline or when the caller aborts, whichever is first. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True when the deadline (not the caller) fired. */
  readonly expired: boolean;
  /** Clears the timer and unhooks from the caller's signal. Call when the attempt is over. */
  dispose(): void;
}

/**
 * Same meaning as `AbortSignal.any([caller, AbortSignal.timeout(ms)])`, but with explicit clean-up:
 * on Node 20, `AbortSignal.any` keeps every composite alive as long as a long-lived input signal
 * (e.g. a server-wide shutdown signal), which leaks one signal per request (nodejs/node#54614).
 * A plain setTimeout fires with millisecond precision, unlike undici's 1 s timers.
 */
export function startDeadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`Deadline of ${timeoutMs} ms exceeded`, 'TimeoutError'));
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onCallerAbort, { once: true });

  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}
