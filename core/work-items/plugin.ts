import type { AnyTool, PluginDefinition, PromptDefinition } from '../plugin/types.js';
import { capitalised, type WorkItemKind } from './kind.js';
import { getTool, listTool } from './tools/read.js';
import { assignTool, createTool, deleteTool, unassignTool, updateTool } from './tools/write.js';
import { bulkCreateTool, bulkUpdateTool } from './tools/bulk.js';
import { BULK_TOOLSET } from './toolsets.js';
import { itemResource } from './resource.js';

export interface WorkItemPluginOptions {
  version: string;
  description: string;
  /** In the `default` toolset (what a desktop user needs daily)? */
  daily: boolean;
  /** Fields shared by every item of bulk_create_ (null: no bulk_create_), and those bulk_update_ may set. */
  bulk?: { create: readonly string[]; update: readonly string[]; /** The items argument of bulk_create_ (default: the plural). */ list?: string };
  /** The kind's own tools beyond the standard ones (promote, links…). */
  tools?: readonly AnyTool[];
  dependencies?: readonly string[];
  prompts?: readonly PromptDefinition[];
}

/** The seven tools of the product requirements for a kind: list_, get_, create_, update_, delete_, assign_, unassign_. */
export function workItemTools(kind: WorkItemKind): AnyTool[] {
  return [listTool(kind), getTool(kind), createTool(kind), updateTool(kind), deleteTool(kind), assignTool(kind), unassignTool(kind)];
}

/** The field whitelists of a kind, for the plugin manifest's `fields`. */
export function workItemFields(kind: WorkItemKind): Record<string, readonly string[]> {
  return { [kind.name]: kind.list, [`${kind.name}_detail`]: kind.detail, [`${kind.name}_write`]: Object.keys(kind.write) };
}

/** A whole plugin for a kind: named after it (`tasks`), its toolset, fields, standard, bulk and own tools. */
export function workItemPlugin(kind: WorkItemKind, opts: WorkItemPluginOptions): PluginDefinition {
  const bulk = opts.bulk ? [bulkCreateTool(kind, opts.bulk.list ?? kind.plural, opts.bulk.create), bulkUpdateTool(kind, opts.bulk.update)] : [];
  return {
    name: kind.plural.replace(/_/g, '-'),
    version: opts.version,
    core: '^1.2.0',
    description: opts.description,
    dependencies: opts.dependencies ?? ['projects'],
    toolset: { id: kind.plural, description: capitalised(kind.labelPlural), default: opts.daily },
    ...(bulk.length > 0 && { toolsets: [BULK_TOOLSET] }),
    fields: workItemFields(kind),
    tools: [...workItemTools(kind), ...(opts.tools ?? []), ...bulk],
    ...(kind.uriSegment && { resources: [itemResource(kind, kind.uriSegment)] }),
    ...(opts.prompts && { prompts: opts.prompts }),
  };
}
