import * as v from 'valibot';
import { TaigaMcpError } from '../../core/errors.js';
import type { ToolContext } from '../../core/plugin/types.js';

type Raw = Record<string, unknown>;

/** The kinds with custom attributes, and the name Taiga gives their definitions' route. */
export const ATTRIBUTE_ROUTES = { user_story: 'userstory', task: 'task', issue: 'issue', epic: 'epic' } as const;
export const AttributeKind = v.picklist(['user_story', 'task', 'issue', 'epic']);
export type AttributeKind = v.InferOutput<typeof AttributeKind>;

export interface Attribute { id: number; name: string; type: string; description?: string; options?: string[] }

export const AttributeOutput = v.object({ id: v.number(), name: v.string(), type: v.string(), description: v.optional(v.string()), options: v.optional(v.array(v.string())) });

export async function attributesOf(ctx: ToolContext, kind: AttributeKind, project: number): Promise<Attribute[]> {
  const { items } = await ctx.taiga.all<Raw>(`/${ATTRIBUTE_ROUTES[kind]}-custom-attributes`, { project });
  return items.map((a) => ({
    id: a['id'] as number,
    name: String(a['name']),
    type: String(a['type']),
    ...(typeof a['description'] === 'string' && a['description'] !== '' && { description: a['description'] }),
    ...(Array.isArray(a['extra']) && { options: (a['extra'] as unknown[]).map(String) }),
  }));
}

/** An attribute by name (case-insensitive) or id; a miss lists the names. `field` names the argument in the error. */
export function attributeNamed(attributes: Attribute[], name: string, field = `values.${name.slice(0, 64)}`): Attribute {
  const wanted = name.trim().toLowerCase();
  const found = attributes.find((a) => a.name.toLowerCase() === wanted || String(a.id) === wanted);
  if (found) return found;
  throw new TaigaMcpError('INVALID_INPUT', { message: `No custom attribute "${name.slice(0, 80)}" here.`, details: { fields: { [field]: 'not a custom attribute of this kind in this project' }, valid_values: attributes.map((a) => a.name) } });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A value is checked against its attribute's type (taiga-api.md §9.12) before Taiga sees it; null clears it. */
export function checkValue(attribute: Attribute, value: unknown, field = `values.${attribute.name}`): unknown {
  if (value === null) return null;
  const bad = (expected: string) => new TaigaMcpError('INVALID_INPUT', { message: `${attribute.name}: expected ${expected}.`, details: { fields: { [field]: `expected ${expected}` }, ...(attribute.options && { valid_values: attribute.options }) } });
  switch (attribute.type) {
    case 'text':
    case 'multiline':
    case 'richtext':
      if (typeof value !== 'string' || value.length > 20_000) throw bad('text (at most 20,000 characters)');
      return value;
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) throw bad('a date YYYY-MM-DD');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('a number');
      return value;
    case 'url':
      if (typeof value !== 'string' || !/^https?:\/\/[^\s]{1,2000}$/.test(value)) throw bad('an http(s) URL');
      return value;
    case 'checkbox':
      if (typeof value !== 'boolean') throw bad('true or false');
      return value;
    case 'dropdown': {
      const option = attribute.options?.find((o) => typeof value === 'string' && o.toLowerCase() === value.trim().toLowerCase());
      if (option === undefined) throw bad(`one of: ${(attribute.options ?? []).join(', ')}`);
      return option;
    }
    default:
      return value;
  }
}
