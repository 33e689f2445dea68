// Fault injection: queued faults consumed by the requests they match.
import type { Knobs } from './index.js';

/**
 * `fail`, `reset`, `hang` and `throttle` stop the request before Taiga handles it; `resetAfterBody`
 * and `slowBody` let it be handled (a write is applied) and then spoil the answer, which is the
 * case where the client cannot know whether its write landed.
 */
export type FaultKind = 'fail' | 'reset' | 'hang' | 'throttle' | 'resetAfterBody' | 'slowBody';

/** Which requests a fault applies to: `match` is tested on the path and query, `method` on the method. */
export interface FaultTarget {
  match?: RegExp;
  method?: string;
}

export interface Fault extends FaultTarget {
  kind: FaultKind;
  remaining: number;
  status?: number;
  html?: boolean;
  waitSeconds?: number;
  /** resetAfterBody: how many bytes of the body go out before the reset (default: half). */
  bytes?: number;
  /** slowBody: the pause between two bytes of the body. */
  tickMs?: number;
}

export class FaultKnobs implements Knobs {
  latencyMs = 0;
  private faults: Fault[] = [];
  private hooks: Array<{ match: RegExp; run: () => Promise<void> }> = [];

  /** Runs `run` (once) before the next request matching `match` is answered: a teammate's write in between. */
  beforeNext(match: RegExp, run: () => Promise<void>): void {
    this.hooks.push({ match, run });
  }

  /** The hook due for this request, removed from the queue. */
  takeHook(pathAndQuery: string): (() => Promise<void>) | undefined {
    const i = this.hooks.findIndex((h) => testRegex(h.match, pathAndQuery));
    return i < 0 ? undefined : this.hooks.splice(i, 1)[0]!.run;
  }

  failNext(count: number, opts: { status?: number; html?: boolean } & FaultTarget = {}): void {
    this.push({ kind: 'fail', remaining: count, ...opts });
  }
  resetNext(count: number, opts: FaultTarget = {}): void {
    this.push({ kind: 'reset', remaining: count, ...opts });
  }
  hangNext(count: number, opts: FaultTarget = {}): void {
    this.push({ kind: 'hang', remaining: count, ...opts });
  }
  throttleNext(count: number, waitSeconds: number, opts: FaultTarget = {}): void {
    this.push({ kind: 'throttle', remaining: count, waitSeconds, ...opts });
  }
  resetAfterBodyNext(count: number, opts: { bytes?: number } & FaultTarget = {}): void {
    this.push({ kind: 'resetAfterBody', remaining: count, ...opts });
  }
  slowBodyNext(count: number, opts: { tickMs?: number } & FaultTarget = {}): void {
    this.push({ kind: 'slowBody', remaining: count, ...opts });
  }
  clear(): void {
    this.faults = [];
    this.hooks = [];
    this.latencyMs = 0;
  }

  /** The first pending fault matching this request (consumed), if any. */
  take(pathAndQuery: string, method = 'GET'): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && (!f.match || testRegex(f.match, pathAndQuery)));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  private push(fault: Fault): void {
    if (fault.remaining > 0) this.faults.push(fault);
  }
}

function testRegex(re: RegExp, text: string): boolean {
  re.lastIndex = 0; // a /g regex is stateful
  return re.test(text);
}
