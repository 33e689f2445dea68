import * as v from 'valibot';
import { TaigaMcpError, type ErrorCode } from './errors.js';
import { toTaigaMcpError } from './pipeline/translate-error.js';
import type { ToolContext } from './plugin/types.js';

/** Failures that will fail every following item too: stop and report the rest as not attempted. */
const STOP_ON: ReadonlySet<ErrorCode> = new Set(['AUTH_REQUIRED', 'AUTH_FAILED', 'SESSION_INVALID', 'SESSION_EXPIRED', 'RATE_LIMITED', 'TAIGA_UNAVAILABLE', 'TIMEOUT', 'INTERNAL']);

export const BatchItemOutput = v.object({
  index: v.number(),
  /** `unknown`: Taiga did not confirm a write that may have been applied; check before retrying. */
  status: v.picklist(['done', 'failed', 'unknown', 'not_attempted']),
  id: v.optional(v.number()),
  ref: v.optional(v.number()),
  error: v.optional(v.object({ code: v.string(), message: v.string() })),
});
export const BatchOutput = v.object({
  done: v.number(),
  failed: v.number(),
  unknown: v.number(),
  not_attempted: v.number(),
  results: v.array(BatchItemOutput),
});
export type BatchResult = v.InferOutput<typeof BatchOutput>;

/**
 * Runs one write per item, in order, sending MCP progress after each, and says per item
 * what was done and what failed. Items are independent: one bad item does not stop the rest.
 */
export async function runBatch<T>(ctx: ToolContext, items: readonly T[], work: (item: T, index: number) => Promise<{ id: number; ref?: number }>): Promise<BatchResult> {
  const results: BatchResult['results'] = [];
  let stop: TaigaMcpError | undefined;
  for (const [index, item] of items.entries()) {
    if (stop || ctx.signal.aborted) {
      results.push({ index, status: 'not_attempted', ...(stop && { error: { code: stop.code, message: 'Not attempted after an earlier failure.' } }) });
      continue;
    }
    try {
      const done = await work(item, index);
      results.push({ index, status: 'done', id: done.id, ...(done.ref !== undefined && { ref: done.ref }) });
    } catch (err) {
      const error = toTaigaMcpError(err, ctx.signal);
      const status = error.details?.['outcome_unknown'] === true ? 'unknown' : 'failed';
      results.push({ index, status, error: { code: error.code, message: error.message } });
      if (STOP_ON.has(error.code)) stop = error;
    }
    // A client that went away must not cost the results of the writes already made.
    await ctx.progress(index + 1, items.length, `${index + 1}/${items.length}`).catch(() => undefined);
  }
  // The SDK client handles a response before a notification that came in the same chunk,
  // dropping the last progress; one macrotask lets it arrive first.
  await new Promise((resolve) => setImmediate(resolve));
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return { done: count('done'), failed: count('failed'), unknown: count('unknown'), not_attempted: count('not_attempted'), results };
}

export const renderBatch = (r: BatchResult): string =>
  [`done ${r.done}, failed ${r.failed}, unknown ${r.unknown}, not attempted ${r.not_attempted}`, ...r.results.filter((x) => x.status !== 'done').map((x) => `item ${x.index}: ${x.status} ${x.error?.code ?? ''} ${x.error?.message ?? ''}`)].join('\n');
