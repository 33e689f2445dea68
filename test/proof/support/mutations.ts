import fc from 'fast-check';
import { jsonTypesOf, typesOf, valid, type Json, type JsonSchema } from './schema-values.js';

type Path = Array<string | number>;

/** A place in a generated value where a mutation can go: a present value, or a property left out. */
interface Site {
  path: Path;
  schema: JsonSchema;
  present: boolean;
}

/** One change to a valid value, with a label that says what it did (shown when a property fails). */
export interface Mutation {
  label: string;
  path: Path;
  /** undefined: delete the key. */
  value: Json | undefined;
}

/** Longer than the longest string any field takes (a wiki page, 200,000 characters). */
export const LONG = 250_000;

function sites(schema: JsonSchema, value: Json, path: Path): Site[] {
  const here: Site = { path, schema, present: true };
  if (Array.isArray(value)) return [here, ...value.flatMap((item, i) => sites(schema.items ?? {}, item, [...path, i]))];
  if (value === null || typeof value !== 'object') return [here];
  const out: Site[] = [here];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    out.push(...(key in value ? sites(child, value[key]!, [...path, key]) : [{ path: [...path, key], schema: child, present: false }]));
  }
  if (typeof schema.additionalProperties === 'object') {
    for (const [key, child] of Object.entries(value)) out.push(...sites(schema.additionalProperties, child, [...path, key]));
  }
  return out;
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Text that has broken servers before: lone surrogates, NUL and controls, bidi and zero-width marks, emoji, combining marks. */
const oddText = fc.oneof(
  fc.tuple(fc.string({ maxLength: 6 }), loneSurrogate, fc.string({ maxLength: 6 })).map(([a, s, b]) => a + s + b),
  fc.constantFrom('\u0000', '\u202e\u2066evil', '\u200b\ufeff', 'e\u0301\u0301\u0301', '\ud83d\ude00'.repeat(50), '\r\n\t', '%00%2e%2e/', '../../etc/passwd', '${x}{{x}}', '<script>'),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const longText = fc.constantFrom('x'.repeat(LONG), '\ud83d\ude00'.repeat(LONG / 2 + 1), 'é'.repeat(LONG));
const edgeNumbers = fc.constantFrom(0, -1, -2_147_483_648, 2_147_483_648, 2 ** 53, -(2 ** 53), 1e308, -1e308, 1.5, 5e-324, Number.MAX_SAFE_INTEGER + 2);
/** Arrays in arrays (or objects in objects) far deeper than any schema goes. */
const deep = fc.tuple(fc.integer({ min: 40, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: Json = 1;
  for (let i = 0; i < depth; i += 1) v = arrays ? [v] : { a: v };
  return v;
});
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, oddText, edgeNumbers, deep);
/** Keys that JavaScript objects treat specially, and keys no schema has. */
const oddKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', 'zzz_unknown', 'x'.repeat(10_000)), oddText);

function wrongType(schema: JsonSchema): fc.Arbitrary<Json> {
  const allowed = typesOf(schema);
  return anyJson.filter((v) => allowed.length > 0 && !jsonTypesOf(v).some((t) => allowed.includes(t)));
}

function mutationsAt(site: Site): fc.Arbitrary<Mutation>[] {
  const at = (label: string, value: fc.Arbitrary<Json | undefined>) => value.map((v) => ({ label: `${label} at ${site.path.join('.') || '(root)'}`, path: site.path, value: v }));
  const types = typesOf(site.schema);
  const out: fc.Arbitrary<Mutation>[] = [];
  // A schema that names no type (the items of a "one value or a list" filter) has no wrong type: filtering for one would never end.
  if (site.path.length > 0) out.push(...(types.length > 0 ? [at('wrong type', wrongType(site.schema))] : []), at('null', fc.constant(null)));
  if (types.includes('integer') || types.includes('number')) out.push(at('edge number', edgeNumbers));
  if (types.includes('string')) out.push(at('odd text', oddText), at('long text', longText));
  if (types.includes('array')) out.push(at('many items', valid(site.schema.items ?? {}).map((item) => Array.from({ length: 1000 }, () => item))));
  if (site.path.length > 0 && !site.present) out.push(at('odd value', anyJson));
  if (site.present && types.includes('object') && site.schema.additionalProperties !== true) {
    out.push(fc.tuple(oddKey, anyJson).map(([key, v]) => ({ label: `extra key ${JSON.stringify(key.slice(0, 20))} at ${site.path.join('.') || '(root)'}`, path: [...site.path, key], value: v })));
  }
  for (const key of site.present ? (site.schema.required ?? []) : []) out.push(at(`without required ${key}`, fc.constant(undefined)).map((m) => ({ ...m, path: [...site.path, key] })));
  return out;
}

/** A value of the schema with one or two mutations applied. */
export function mutated(schema: JsonSchema): fc.Arbitrary<{ value: Json; labels: string[] }> {
  return valid(schema).chain((value) => {
    const choices = sites(schema, value, []).flatMap(mutationsAt);
    return fc.array(fc.oneof(...choices), { minLength: 1, maxLength: 2 }).map((ms) => ({
      value: ms.reduce<Json>((v, m) => setAt(v, m.path, m.value), value),
      labels: ms.map((m) => m.label),
    }));
  });
}

/** A copy with the value at `path` replaced (or deleted); keys such as `__proto__` become own keys, as JSON.parse makes them. */
export function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const [head, ...rest] = path;
  const container: Json = root !== null && typeof root === 'object' ? root : {};
  const copy = (Array.isArray(container) ? [...container] : { ...container }) as Record<string | number, Json>;
  const next = setAt((Object.hasOwn(copy, head!) ? copy[head!] : null) ?? null, rest, value);
  if (value === undefined && rest.length === 0) delete copy[head!];
  else Object.defineProperty(copy, head!, { value: next, enumerable: true, writable: true, configurable: true });
  return copy as Json;
}
