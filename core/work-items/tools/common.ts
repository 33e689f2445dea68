import * as v from 'valibot';
import type { ToolAnnotations, ToolContext } from '../../plugin/types.js';
import { IdOrName, ProjectRef, Version } from '../../schemas.js';
import { idArg, type WorkItemKind } from '../kind.js';
import { itemSchema, itemText, leanItem, type LeanItem } from '../lean.js';
import { rememberShown } from '../shown-versions.js';
import { writeItem } from '../access.js';

type Raw = Record<string, unknown>;

export const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
export const IDEMPOTENT_WRITE: ToolAnnotations = { ...WRITE, idempotentHint: true };
export const DESTRUCTIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };

/** How a tool names one item: `task_id` (id or "#ref"), the project it must belong to, the version read. */
export const targetEntries = (kind: WorkItemKind) => ({ [idArg(kind)]: IdOrName, project_id: v.optional(ProjectRef), version: v.optional(Version) });

/** The kind's settable fields, each optional (create makes `subject` required). */
export const writeEntries = (kind: WorkItemKind, only?: readonly string[]) =>
  Object.fromEntries(Object.entries(kind.write).filter(([name]) => !only || only.includes(name)).map(([name, field]) => [name, v.optional(field.schema)]));

export const target = (kind: WorkItemKind, args: Raw) => ({ value: args[idArg(kind)] as number | string, project: args['project_id'] as number | string | undefined, version: args['version'] as number | undefined });

export const detailSchema = (kind: WorkItemKind) => itemSchema(kind.detail);

/** The lean detail of an item Taiga returned, remembered as shown (see shown-versions.ts). */
export async function detailOf(ctx: ToolContext, kind: WorkItemKind, raw: Raw): Promise<LeanItem> {
  rememberShown(ctx, kind, raw);
  return leanItem(kind, raw, await ctx.resolve.project(raw['project'] as number), kind.detail);
}

export const detailText = (kind: WorkItemKind, prefix = '') => (item: LeanItem): string => `${prefix}${itemText(item, kind.detail)}`;

/** Bookkeeping a write never repeats: the caller knows who and where, and asked no dates. */
const UNASKED: ReadonlySet<string> = new Set(['owner', 'project', 'created', 'modified']);
/** Said by every write answer, changed or not: the item's name and the version the next write gives. */
const NAMED: ReadonlySet<string> = new Set(['id', 'ref', 'subject', 'version']);
const changeNames = new WeakMap<WorkItemKind, readonly string[]>();
const changeFields = (kind: WorkItemKind): readonly string[] => {
  let names = changeNames.get(kind);
  if (!names) changeNames.set(kind, (names = kind.detail.filter((name) => !UNASKED.has(name))));
  return names;
};

/** A write's answer: its name and version, the fields it changed with their new values, and the ones it emptied (`cleared`). */
export const changeSchema = (kind: WorkItemKind) => v.object({ ...itemSchema(changeFields(kind)).entries, cleared: v.optional(v.array(v.string())) });

/**
 * What a write did to an item: against `before` (the item as the write found it), the fields whose
 * value changed; a create (no `before`) says every field the new item has. Remembered as shown.
 */
export async function changeOf(ctx: ToolContext, kind: WorkItemKind, before: Raw | undefined, raw: Raw): Promise<LeanItem> {
  rememberShown(ctx, kind, raw);
  const meta = await ctx.resolve.project(raw['project'] as number);
  const names = changeFields(kind);
  const after = leanItem(kind, raw, meta, names);
  if (!before) return after;
  const was = leanItem(kind, before, meta, names);
  const change: LeanItem = {};
  const cleared: string[] = [];
  for (const name of names) {
    if (NAMED.has(name) || JSON.stringify(after[name]) !== JSON.stringify(was[name])) {
      if (after[name] !== undefined) change[name] = after[name];
      else cleared.push(name);
    }
  }
  return { ...change, ...(cleared.length > 0 && { cleared }) };
}

/** writeItem (access.ts), answered with what the write changed. */
export async function writeChange(ctx: ToolContext, kind: WorkItemKind, args: Raw, build: (item: Raw) => Promise<Raw>): Promise<LeanItem> {
  let before: Raw = {};
  const saved = await writeItem(ctx, kind, target(kind, args), async (item) => {
    before = item;
    return build(item);
  });
  return changeOf(ctx, kind, before, saved);
}

export const changeText = (kind: WorkItemKind, prefix: string) => (change: LeanItem): string => {
  const cleared = change['cleared'] as string[] | undefined;
  const text = itemText(change, changeFields(kind));
  const lineEnd = text.includes('\n') ? text.indexOf('\n') : text.length;
  return `${prefix}${text.slice(0, lineEnd)}${cleared ? ` cleared:${cleared.join(',')}` : ''}${text.slice(lineEnd)}`;
};
