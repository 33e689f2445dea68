/**
 * The work-item module of the plugin API: declare a kind (what differs: endpoint, fields, filters,
 * whitelists) and get its tools. See plugins/tasks for a whole plugin in a few lines.
 */
export { defineWorkItem, idArg, type WorkItemKind, type InputField, type AnyInputField, type WriteContext, type FilterField, type AnyFilterField, type FilterContext } from './kind.js';
export { inputs, plain, choice, toTaigaBody } from './inputs.js';
export { filters, choiceFilter, flagFilter, linkFilter, dateFilter, orderBy, OneOrMany, excludeSchema, toTaigaQuery } from './filters.js';
export { outputs, type OutputField, type OutputName } from './outputs.js';
export { leanItem, itemSchema, itemText, type LeanItem } from './lean.js';
export { itemsTable } from './table.js';
export { asRef, itemId, loadItem, writeItem, deleteItem, itemLabel, checkVersion, versionConflict, changesSince, reread, USER_STORY_TARGET, type ItemTarget, type VersionedTarget, type WriteTarget } from './access.js';
export { ShownVersions, rememberShown, forgetShown } from './shown-versions.js';
export { READ, WRITE, IDEMPOTENT_WRITE, DESTRUCTIVE, detailOf, detailText, targetEntries } from './tools/common.js';
export { listTool, getTool, pagingText } from './tools/read.js';
export { createTool, updateTool, deleteTool, assignTool, unassignTool } from './tools/write.js';
export { bulkCreateTool, bulkUpdateTool } from './tools/bulk.js';

export { BULK_TOOLSET } from './toolsets.js';
export { workItemPlugin, workItemTools, workItemFields, type WorkItemPluginOptions } from './plugin.js';
export { itemResource, projectSlugs } from './resource.js';
