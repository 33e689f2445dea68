import { Ajv, type ValidateFunction } from 'ajv';
import { LONG } from './mutations.js';
import { typesOf, type Json, type JsonSchema } from './schema-values.js';

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });

/** A field where a string of LONG characters is fair (an upload's content, checked by size). */
const LONG_OK = new Set(['content_base64']);
const MAX_ID = 2_147_483_647;

/**
 * Whether the server must refuse `args` before Taiga sees them, and why: the advertised schema
 * rejects them (checked by ajv, not by the generator that made them), or they break a rule the
 * server enforces without advertising it (tool-schemas.ts SERVER_ONLY): ids and other integer-only
 * fields are 1..2^31-1, no string is longer than the longest field takes, and no text is ill-formed.
 */
export class Oracle {
  private readonly check: ValidateFunction;

  constructor(private readonly schema: JsonSchema) {
    this.check = ajv.compile(schema);
  }

  mustRefuse(args: Json): string | undefined {
    const received = asReceived(args);
    if (!this.check(received)) return `schema: ${ajv.errorsText(this.check.errors)}`;
    return serverRule(this.schema, received, '');
  }
}

function serverRule(schema: JsonSchema, value: Json, path: string): string | undefined {
  const types = typesOf(schema);
  if (typeof value === 'string') {
    if (!value.isWellFormed()) return `${path}: lone surrogate`;
    if (value.length >= LONG && !LONG_OK.has(path.split('.').at(-1)!)) return `${path}: ${value.length} characters`;
    return undefined;
  }
  if (typeof value === 'number') {
    const integerOnly = types.includes('integer') && !types.includes('number');
    return integerOnly && (value < 1 || value > MAX_ID) ? `${path}: ${value} is not an id` : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (!key.isWellFormed()) return `${path}: key with a lone surrogate`;
    const sub = Array.isArray(value) ? schema.items : (schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined));
    const found = sub && serverRule(sub, child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/**
 * The arguments as a tool receives them: the SDK's request schema (zod) drops a top-level
 * `__proto__` key, without touching the prototype, before the server sees the call. The tool
 * cannot refuse what it never gets; nested ones do arrive and are judged.
 */
function asReceived(args: Json): Json {
  if (args === null || typeof args !== 'object' || Array.isArray(args) || !Object.hasOwn(args, '__proto__')) return args;
  return Object.fromEntries(Object.entries(args).filter(([k]) => k !== '__proto__'));
}
