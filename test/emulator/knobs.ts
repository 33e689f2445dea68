// Fault injection: queued faults consumed by the requests they match.
import type { Knobs } from './index.js';

export type FaultKind = 'fail' | 'reset' | 'hang' | 'throttle';

export interface Fault {
  kind: FaultKind;
  remaining: number;
  match?: RegExp;
  status?: number;
  html?: boolean;
  waitSeconds?: number;
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

  failNext(count: number, opts: { status?: number; html?: boolean; match?: RegExp } = {}): void {
    this.push({ kind: 'fail', remaining: count, ...opts });
  }
  resetNext(count: number, opts: { match?: RegExp } = {}): void {
    this.push({ kind: 'reset', remaining: count, ...opts });
  }
  hangNext(count: number, opts: { match?: RegExp } = {}): void {
    this.push({ kind: 'hang', remaining: count, ...opts });
  }
  throttleNext(count: number, waitSeconds: number, opts: { match?: RegExp } = {}): void {
    this.push({ kind: 'throttle', remaining: count, waitSeconds, ...opts });
  }
  clear(): void {
    this.faults = [];
    this.hooks = [];
    this.latencyMs = 0;
  }

  /** The first pending fault matching `pathAndQuery` (consumed), if any. */
  take(pathAndQuery: string): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.match || testRegex(f.match, pathAndQuery)));
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
