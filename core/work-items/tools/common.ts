import * as v from 'valibot';
import type { ToolAnnotations, ToolContext } from '../../plugin/types.js';
import { IdOrName, ProjectRef, Version } from '../../schemas.js';
import { idArg, type WorkItemKind } from '../kind.js';
import { itemSchema, itemText, leanItem, type LeanItem } from '../lean.js';
import { rememberShown } from '../shown-versions.js';

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
