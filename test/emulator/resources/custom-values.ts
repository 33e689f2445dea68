// Custom attribute values (§9.12): /{epics|userstories|tasks|issues}/custom-attributes-values/{objectId}.
// Versioned on their own; a PATCH replaces the whole dict and snapshots the
// parent object (its history shows the custom_attributes change).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, notFoundModel, ok, rawError, type Reply } from '../http.js';
import { recordIndirect, versionError } from '../occ.js';
import { can, denied, missingForWrite, requireNotBlocked } from '../permissions.js';
import type { AttributeKind, WorkItem } from '../types.js';
import { EPIC, ISSUE, STORY, TASK } from './specs.js';
import type { KindSpec } from './items.js';
import { parseId } from './lookup.js';

const KINDS: [AttributeKind, string, string, string, KindSpec<WorkItem>][] = [
  ['epic', '/epics', 'Epic', 'epic', EPIC as unknown as KindSpec<WorkItem>],
  ['userstory', '/userstories', 'UserStory', 'user_story', STORY as unknown as KindSpec<WorkItem>],
  ['task', '/tasks', 'Task', 'task', TASK as unknown as KindSpec<WorkItem>],
  ['issue', '/issues', 'Issue', 'issue', ISSUE as unknown as KindSpec<WorkItem>],
];

function routes(kind: AttributeKind, prefix: string, model: string, key: string, spec: KindSpec<WorkItem>): RouteTable {
  const out = (ctx: Ctx, item: WorkItem) => {
    const row = ctx.state.customValues(kind, item.id);
    return { attributes_values: row.values, version: row.version, [key]: item.id };
  };
  const canView = (ctx: Ctx, item: WorkItem) => can(ctx, ctx.state.projects.get(item.project)!, spec.perms.view);

  const retrieve = (ctx: Ctx): Reply => {
    const item = spec.items(ctx.state).get(parseId(ctx));
    if (!item) throw notFoundModel(`${model}CustomAttributesValues`);
    if (!canView(ctx, item)) denied(ctx);
    return ok(out(ctx, item));
  };
  const update = (ctx: Ctx): Reply => {
    const item = spec.items(ctx.state).get(parseId(ctx));
    if (!item || !canView(ctx, item)) missingForWrite(ctx);
    const project = ctx.state.projects.get(item.project)!;
    if (!can(ctx, project, spec.perms.modify)) denied(ctx);
    const body = bodyObject(ctx);
    const values = body['attributes_values'];
    if (ctx.method === 'PUT' && values === undefined) throw fieldErrors({ attributes_values: ['This field is required.'] });
    if (values !== undefined) {
      if (!values || typeof values !== 'object' || Array.isArray(values)) {
        throw fieldErrors({ attributes_values: ['Invalid content. It must be {"key": "value",...}'] });
      }
      if (!Object.keys(values).length) throw fieldErrors({ attributes_values: ['This field cannot be blank.'] });
      const known = new Set(ctx.state.attributesOf(kind, item.project).map((a) => String(a.id)));
      if (Object.keys(values).some((k) => !known.has(k))) throw fieldErrors({ attributes_values: ['It contains invalid custom fields.'] });
    }
    const row = ctx.state.customValues(kind, item.id);
    const conflict = versionError(row, body);
    if (conflict) throw rawError(400, conflict);
    requireNotBlocked(project);
    if (values !== undefined) row.values = { ...(values as Record<string, unknown>) };
    row.version += 1;
    recordIndirect(ctx, kind, item as never);
    return ok(out(ctx, item));
  };
  return [[`${prefix}/custom-attributes-values/:id`, { GET: retrieve, PUT: update, PATCH: update }]];
}

export const customValueRoutes: RouteTable = KINDS.flatMap(([kind, prefix, model, key, spec]) => routes(kind, prefix, model, key, spec));
