import fc from 'fast-check';

/**
 * A fixed seed, so that `npm test` is repeatable; `<NAME>_SEED`, `<NAME>_RUNS` and `<NAME>_ONLY`
 * (a regex of tool names) widen or narrow a search by hand. fast-check names the seed and path of
 * a failure in its message; replay with the seed.
 */
export function fuzzSettings(name: string, defaultRuns: number): { seed: number; runs: number; only: RegExp | undefined } {
  const env = (key: string) => process.env[`${name}_${key}`];
  const only = env('ONLY');
  return { seed: Number(env('SEED') ?? 20_260_728), runs: Number(env('RUNS') ?? defaultRuns), only: only ? new RegExp(only) : undefined };
}

const MAX_SHOWN = 600;

/** A counterexample printed in a few hundred characters, not as a 250,000-character string. */
export function printable<T extends object>(input: T): T {
  Object.defineProperty(input, fc.toStringMethod, {
    value: () => {
      const text = JSON.stringify(input, (_k, v: unknown) => (typeof v === 'string' && v.length > 60 ? `${v.slice(0, 20)}…(${v.length} chars)` : v));
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
    },
  });
  return input;
}
