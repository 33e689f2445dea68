import fc from 'fast-check';

/** The part of JSON Schema that tools/list uses (see test/toolsnaps). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The schema's types; an enum without `type` (the server advertises none beside strings) has its values' types. */
export const typesOf = (s: JsonSchema): string[] =>
  Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.enum ? [...new Set(s.enum.flatMap((e) => jsonTypesOf(e)))] : [];

/** The JSON Schema type names a value satisfies ("integer" values are "number" too). */
export function jsonTypesOf(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

/**
 * Names and ids the emulator's seed knows, so that generated calls get past name resolution
 * and reach the code that talks to Taiga, not only the validation stage.
 */
const KNOWN_STRINGS = ['project-1', 'project-2', '#1', '#2', '#3', 'me', 'admin', 'user1', 'New', 'In progress', 'Closed', 'Back', 'Front', '3', '1/2', 'home', 'Normal', 'Bug', '2030-01-01', '2030-01-14', 'user_story', 'task', 'open', 'all'];

const knownString = fc.constantFrom(...KNOWN_STRINGS);
const smallId = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 2_147_483_647 }), weight: 1 });

function scalar(type: string, format: string | undefined): fc.Arbitrary<Json> {
  switch (type) {
    case 'integer':
      return smallId;
    case 'number':
      return fc.oneof(smallId, fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string':
      return format === 'date'
        ? fc.oneof(fc.constant('2030-01-01'), fc.string({ maxLength: 12 }))
        : fc.oneof({ arbitrary: knownString, weight: 3 }, { arbitrary: fc.string({ maxLength: 24 }), weight: 1 });
    default:
      throw new Error(`schema-values: no generator for type ${type}`);
  }
}

/**
 * Values the schema accepts. `session_id` is never generated: a made-up one fails every call
 * with SESSION_INVALID before anything else runs, which would hide the rest of the server.
 */
export function valid(schema: JsonSchema): fc.Arbitrary<Json> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as Json[]));
  const arbs = typesOf(schema).map((type) => {
    if (type === 'object') return objectOf(schema);
    if (type === 'array') return fc.array(valid(schema.items ?? {}), { maxLength: 4 });
    return scalar(type, schema.format);
  });
  if (arbs.length === 0) return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

function objectOf(schema: JsonSchema): fc.Arbitrary<Json> {
  const entries = Object.entries(schema.properties ?? {}).filter(([k]) => k !== 'session_id');
  if (entries.length === 0 && typeof schema.additionalProperties === 'object') {
    return fc.dictionary(fc.oneof(knownString, fc.string({ maxLength: 8 })), valid(schema.additionalProperties), { maxKeys: 3 }) as fc.Arbitrary<Json>;
  }
  const model = Object.fromEntries(entries.map(([k, s]) => [k, valid(s)]));
  const required = (schema.required ?? []).filter((k) => k in model);
  const optional = Object.keys(model).filter((k) => !required.includes(k));
  // Few optional fields at a time: every one more is one more name that may not resolve.
  return fc.subarray(optional, { maxLength: Math.min(2, optional.length) }).chain((chosen) => fc.record(Object.fromEntries([...required, ...chosen].map((k) => [k, model[k]!])))) as fc.Arbitrary<Json>;
}
