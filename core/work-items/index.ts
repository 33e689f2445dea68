/**
 * The work-item module of the plugin API: declare a kind (what differs: endpoint, fields, filters,
 * whitelists) and get its tools. See plugins/tasks for a whole plugin in a few lines.
 */
import type { AnyTool, ToolsetDefinition } from '../plugin/types.js';
import type { WorkItemKind } from './kind.js';
import { getTool, listTool } from './tools/read.js';
import { assignTool, createTool, deleteTool, unassignTool, updateTool } from './tools/write.js';

export { defineWorkItem, idArg, type WorkItemKind } from './kind.js';
export { inputs, plain, choice, toTaigaBody, type InputField, type AnyInputField, type WriteContext } from './inputs.js';
export { filters, choiceFilter, flagFilter, linkFilter, toTaigaQuery, type FilterField, type AnyFilterField, type FilterContext } from './filters.js';
export { outputs, type OutputField, type OutputName } from './outputs.js';
export { leanItem, itemSchema, itemText, type LeanItem } from './lean.js';
export { asRef, itemId, loadItem, writeItem, deleteItem, checkVersion, versionConflict, USER_STORY_TARGET, type ItemTarget, type WriteTarget } from './access.js';
export { ShownVersions, rememberShown } from './shown-versions.js';
export { READ, WRITE, IDEMPOTENT_WRITE, DESTRUCTIVE, detailOf, detailText, targetEntries } from './tools/common.js';
export { listTool, getTool, pagingText } from './tools/read.js';
export { createTool, updateTool, deleteTool, assignTool, unassignTool } from './tools/write.js';
export { bulkCreateTool, bulkUpdateTool } from './tools/bulk.js';

/** The seven tools of the product requirements for a kind: list_, get_, create_, update_, delete_, assign_, unassign_. */
export function workItemTools(kind: WorkItemKind): AnyTool[] {
  return [listTool(kind), getTool(kind), createTool(kind), updateTool(kind), deleteTool(kind), assignTool(kind), unassignTool(kind)];
}

/** Where every plugin's bulk tools go: not in `default`, one config line away. */
export const BULK_TOOLSET: ToolsetDefinition = { id: 'bulk', description: 'Bulk create and change of many items', default: false };

/** The field whitelists of a kind, for the plugin manifest's `fields`. */
export function workItemFields(kind: WorkItemKind): Record<string, readonly string[]> {
  return { [kind.name]: kind.list, [`${kind.name}_detail`]: kind.detail, [`${kind.name}_write`]: Object.keys(kind.write) };
}
