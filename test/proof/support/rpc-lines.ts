import fc from 'fast-check';
import type { Id } from './raw-stdio.js';

/** A line to write, and the id whose answer it owes (a request with a valid id), if any. */
export interface Line {
  bytes: Buffer;
  /** The id it carries, if any: an answer to an id never sent is a bug too. */
  id?: unknown;
  owes?: Id;
  label: string;
}

const METHODS = ['ping', 'tools/list', 'tools/call', 'resources/list', 'resources/templates/list', 'resources/read', 'prompts/list', 'prompts/get', 'completion/complete', 'logging/setLevel', 'notifications/initialized', 'notifications/cancelled', 'no/such/method', '', 'PING'];
const TOOLS = ['list_projects', 'get_user_story', 'delete_project', 'no_such_tool'];

/**
 * Ids are unique per line (a counter) so that every answer can be traced to the line that asked;
 * their shape varies: negative, fractional, exponent, unicode and long strings.
 */
type IdShape = 'int' | 'negative' | 'fraction' | 'string' | 'unicode' | 'long';
const idShape = fc.constantFrom<IdShape>('int', 'negative', 'fraction', 'string', 'unicode', 'long');
function makeId(shape: IdShape, n: number): Id {
  switch (shape) {
    case 'int':
      return 1_000_000 + n;
    case 'negative':
      return -1_000_000 - n;
    case 'fraction':
      return n + 0.25;
    case 'string':
      return `id-${n}`;
    case 'unicode':
      return `\u{1F600}\u202e${n}`;
    case 'long':
      return `${'x'.repeat(5000)}${n}`;
  }
}
const badId = fc.constantFrom(null, true, {}, [], [1]);

const params = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
  fc.record({ name: fc.oneof(fc.constantFrom(...TOOLS), fc.string()), arguments: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }))) }, { requiredKeys: [] }),
  fc.record({ requestId: fc.oneof(fc.integer(), fc.string()), uri: fc.string(), level: fc.string() }, { requiredKeys: [] }),
);

/** A message shape: what it carries, with the id left to fill in. */
const message = fc.record(
  {
    jsonrpc: fc.oneof({ arbitrary: fc.constant('2.0'), weight: 6 }, { arbitrary: fc.constantFrom('1.0', 2, null), weight: 1 }),
    id: fc.oneof({ arbitrary: idShape, weight: 5 }, { arbitrary: badId.map((v) => ({ bad: v })), weight: 1 }),
    method: fc.oneof({ arbitrary: fc.constantFrom(...METHODS), weight: 5 }, { arbitrary: fc.oneof(fc.string(), fc.integer()), weight: 1 }),
    params,
    result: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: ['jsonrpc'] },
);

let counter = 0;

/** Builds the line; the "owed" answer is the rule the server follows (see protocol-guard.ts). */
function toLine(m: { jsonrpc: unknown; id?: IdShape | { bad: unknown }; method?: unknown; params?: unknown; result?: unknown }): Line {
  counter += 1;
  const id = m.id === undefined ? undefined : typeof m.id === 'string' ? makeId(m.id, counter) : m.id.bad;
  const body: Record<string, unknown> = { jsonrpc: m.jsonrpc, ...(m.id !== undefined && { id }), ...(m.method !== undefined && { method: m.method }) };
  if (m.params !== undefined) body['params'] = m.params;
  if (m.result !== undefined) body['result'] = m.result;
  const validId = typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
  // A response (of the client's, to a request of the server's) is never answered. A request that
  // also carries a result is dropped by the SDK as a response (see the todo in fuzz-jsonrpc).
  const hasResult = m.jsonrpc === '2.0' && 'result' in body;
  return { bytes: Buffer.from(`${JSON.stringify(body)}\n`), id, ...(validId && !hasResult && { owes: id }), label: 'message' };
}

const text = (label: string) => (s: string): Line => ({ bytes: Buffer.from(`${s}\n`), label });

/** One line of what a broken or hostile client might write. */
export const anyLine: fc.Arbitrary<Line> = fc.oneof(
  { arbitrary: message.map(toLine), weight: 6 },
  { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => ({ bytes: Buffer.concat([Buffer.from(b), Buffer.from('\n')]), label: 'binary' })), weight: 2 },
  { arbitrary: fc.json({ maxDepth: 3 }).map(text('json')), weight: 2 },
  // Cut before its closing brace: never a whole message.
  { arbitrary: fc.tuple(message.map(toLine), fc.nat()).map(([l, cut]) => ({ bytes: Buffer.concat([l.bytes.subarray(0, cut % (l.bytes.length - 2)), Buffer.from('\n')]), label: 'cut' })), weight: 1 },
  { arbitrary: fc.constantFrom('', '   ', '\r', '{}{}', '[]', 'null', '"2.0"', '{"jsonrpc":"2.0"', '\u0000').map(text('odd')), weight: 1 },
);
