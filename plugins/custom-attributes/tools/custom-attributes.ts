import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { IdOrName, ProjectRef, Version } from '../../../core/schemas.js';
import { json, quote } from '../../../core/render/untrusted.js';
import { IDEMPOTENT_WRITE, loadItem, READ, versionConflict } from '../../../core/work-items/index.js';
import { COMMENTABLE } from '../../item-targets.js';
import { AttributeKind, AttributeOutput, attributeNamed, attributesOf, checkValue, type Attribute } from '../attributes.js';

type Raw = Record<string, unknown>;
const Value = v.union([v.pipe(v.string(), v.maxLength(20_000)), v.number(), v.boolean(), v.null()]);
const ValuesOutput = v.object({ values: v.record(v.string(), v.unknown()), version: v.number() });
const ItemEntries = { kind: AttributeKind, item_id: IdOrName, project_id: v.optional(ProjectRef) };

export const listCustomAttributes = defineTool({
  name: 'list_custom_attributes',
  title: 'List custom attributes',
  description: 'The custom fields a project defines for one kind of item, with their types and options.',
  input: v.strictObject({ project_id: ProjectRef, kind: AttributeKind }),
  output: v.object({ items: v.array(AttributeOutput) }),
  annotations: READ,
  async handler({ project_id, kind }, ctx) {
    return { items: await attributesOf(ctx, kind, await ctx.resolve.projectId(project_id)) };
  },
  render: (r) => r.items.map((a) => `attribute id=${a.id} ${quote(a.name)} type:${a.type}${a.options ? ` options:${json(a.options)}` : ''}${a.description ? ` ${quote(a.description)}` : ''}`).join('\n') || '(no custom attributes)',
});

async function valuesOf(ctx: ToolContext, args: { kind: AttributeKind; item_id: number | string; project_id?: number | string | undefined }) {
  const target = COMMENTABLE[args.kind]!;
  const item = await loadItem(ctx, target, args.item_id, args.project_id, 'item_id');
  const path = `${target.endpoint}/custom-attributes-values/${String(item['id'])}`;
  const [attributes, values] = await Promise.all([attributesOf(ctx, args.kind, item['project'] as number), ctx.taiga.get<Raw>(path)]);
  return { item, path, attributes, values };
}

const byName = (attributes: Attribute[], values: Raw): Record<string, unknown> =>
  Object.fromEntries(attributes.map((a) => [a.name, ((values['attributes_values'] as Raw | undefined) ?? {})[String(a.id)] ?? null]));

const valuesText = (r: { values: Record<string, unknown>; version: number }): string => [`custom attributes v${r.version}`, ...Object.entries(r.values).map(([k, val]) => `${quote(k)}: ${json(val)}`)].join('\n');

export const getCustomAttributeValues = defineTool({
  name: 'get_custom_attribute_values',
  title: 'Get custom attribute values',
  description: 'The custom field values of an item, by field name, with the values\' own version.',
  input: v.strictObject(ItemEntries),
  output: ValuesOutput,
  annotations: READ,
  async handler(args, ctx) {
    const { attributes, values } = await valuesOf(ctx, args);
    return { values: byName(attributes, values), version: values['version'] as number };
  },
  render: valuesText,
});

export const setCustomAttributeValues = defineTool({
  name: 'set_custom_attribute_values',
  title: 'Set custom attribute values',
  description: 'Set custom field values of an item by name (null clears one); the others keep theirs.',
  input: v.strictObject({ ...ItemEntries, values: v.pipe(v.record(v.pipe(v.string(), v.maxLength(64)), Value), v.minEntries(1), v.maxEntries(50)), version: v.optional(Version) }),
  output: ValuesOutput,
  annotations: IDEMPOTENT_WRITE,
  async handler(args, ctx) {
    const { path, attributes } = await valuesOf(ctx, args);
    const changes = Object.entries(args.values).map(([name, value]) => {
      const attribute = attributeNamed(attributes, name);
      return [String(attribute.id), checkValue(attribute, value)] as const;
    });
    // Taiga replaces the whole set and never reports a stale version here (taiga-api.md §7): the merge and the check are ours, on a fresh read.
    const current = await ctx.taiga.get<Raw>(path);
    if (args.version !== undefined && current['version'] !== args.version) {
      throw versionConflict({ name: 'custom_attribute_values', label: 'custom attribute values of', endpoint: path }, { ...current, id: args.item_id }, args.version);
    }
    const merged = { ...((current['attributes_values'] as Raw | undefined) ?? {}), ...Object.fromEntries(changes) };
    const saved = await ctx.taiga.patch<Raw>(path, { attributes_values: merged, version: current['version'] });
    return { values: byName(attributes, saved), version: saved['version'] as number };
  },
  render: valuesText,
});
