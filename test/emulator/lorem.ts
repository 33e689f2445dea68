// Deterministic lorem ipsum for seeded texts (wiki pages, comments, files):
// the same seed always gives the same words, so resets reproduce the data.
const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipisicing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ' +
  'enim minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in ' +
  'reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa ' +
  'qui officia deserunt mollit anim id est laborum quas iure autem tempore doloremque praesentium corrupti beatae corporis'
).split(' ');

/** A small linear congruential generator: enough to vary texts, cheap at start-up. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function sentence(rnd: () => number, words = 8 + Math.floor(rnd() * 10)): string {
  const out = Array.from({ length: words }, () => WORDS[Math.floor(rnd() * WORDS.length)]!);
  return out.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
}

/** Resets reseed often: the texts are made once per process. */
const made = new Map<string, string>();

export function paragraphs(seed: number, count: number): string {
  const key = `${seed}:${count}`;
  const known = made.get(key);
  if (known !== undefined) return known;
  const rnd = random(seed);
  const text = Array.from({ length: count }, () => Array.from({ length: 2 + Math.floor(rnd() * 4) }, () => sentence(rnd)).join(' ')).join('\n\n');
  made.set(key, text);
  return text;
}

/** Exactly `bytes` ASCII bytes of text, lines of 72 characters. */
export function textOfSize(seed: number, bytes: number): string {
  const rnd = random(seed);
  let text = '';
  while (text.length < bytes) text += sentence(rnd) + (text.length % 72 > 60 ? '\n' : ' ');
  return text.slice(0, bytes - 1) + '\n';
}
