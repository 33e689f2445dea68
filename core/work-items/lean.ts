import * as v from 'valibot';
import type { ProjectMetadata } from '../resolve/project-metadata.js';
import { block } from '../render/untrusted.js';
import { pick } from '../schemas.js';
import type { WorkItemKind } from './kind.js';
import { outputs, REQUIRED_OUTPUTS, type OutputField } from './outputs.js';

type Raw = Record<string, unknown>;
export type LeanItem = Record<string, unknown>;

const field = (name: string): OutputField => {
  const found = (outputs as Record<string, OutputField>)[name];
  if (!found) throw new Error(`work item output "${name}" is not in the catalog (core/work-items/outputs.ts)`);
  return found;
};

/** A whitelist's fields, looked up once per whitelist rather than once per field of every item. */
const resolved = new WeakMap<readonly string[], ReadonlyArray<readonly [string, OutputField]>>();
const fieldsOf = (names: readonly string[]) => {
  let found = resolved.get(names);
  if (!found) resolved.set(names, (found = names.map((name) => [name, field(name)] as const)));
  return found;
};

/** Taiga's record cut to the whitelist; absent means null, false or empty (said once in the instructions). */
export function leanItem(kind: WorkItemKind, raw: Raw, meta: ProjectMetadata, names: readonly string[]): LeanItem {
  const values: Raw = {};
  const context = { meta, statusKind: kind.status };
  for (const [name, f] of fieldsOf(names)) values[name] = f.read(raw, context);
  return pick(values, names);
}

/** The output schema of a whitelist: the always-present fields required, the rest optional. */
export function itemSchema(names: readonly string[]): v.ObjectSchema<v.ObjectEntries, undefined> {
  return v.object(Object.fromEntries(names.map((name) => [name, REQUIRED_OUTPUTS.has(name) ? field(name).schema : v.optional(field(name).schema)])));
}

/** One line with every fact of the whitelist, in its order; long user text follows in untrusted blocks. */
export function itemText(item: LeanItem, names: readonly string[]): string {
  const tokens: string[] = [];
  const blocks: string[] = [];
  for (const [name, f] of fieldsOf(names)) {
    const value = item[name];
    if (value === undefined) continue;
    if (f.block) blocks.push(`${name}:\n${block(String(value))}`);
    else if (f.text) tokens.push(f.text(value as never));
  }
  return [tokens.join(' '), ...blocks].join('\n');
}
