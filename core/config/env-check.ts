import { ENV_KEYS, OTHER_ENV } from './schema.js';

const KNOWN = new Set<string>([...Object.keys(ENV_KEYS), ...OTHER_ENV]);

/**
 * `TAIGA_*` variables this server does not read, each with the known name it most likely meant:
 * a misspelled `TAIGA_URL` must be named at start, not silently ignored.
 */
export function unknownTaigaVariables(env: NodeJS.ProcessEnv): Array<{ name: string; suggestion: string | undefined }> {
  return Object.keys(env)
    .filter((name) => name.startsWith('TAIGA_') && !KNOWN.has(name))
    .sort()
    .map((name) => ({ name, suggestion: closest(name) }));
}

function closest(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN) {
    const distance = editDistance(name, known);
    if (!best || distance < best.distance) best = { name: known, distance };
  }
  // A typo (a third of the name at most) or a word left out (TAIGA_URL for TAIGA_API_URL); beyond
  // that, a suggestion is a guess that misleads more than it helps.
  if (best && best.distance <= Math.max(2, Math.floor(name.length / 3))) return best.name;
  const words = name.split('_');
  return [...KNOWN].find((known) => words.every((w) => known.split('_').includes(w)));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export function describeUnknown(vars: Array<{ name: string; suggestion: string | undefined }>): string {
  return vars.map((v) => (v.suggestion ? `${v.name} (did you mean ${v.suggestion}?)` : v.name)).join(', ');
}
