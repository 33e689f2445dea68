// Choice-value endpoints (statuses, points, priorities, severities, issue
// types): list and retrieve, filtered by `project`; writes in choice-writes.ts.
import type { Ctx, RouteTable } from '../context.js';
import { notFoundModel, ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can } from '../permissions.js';
import { choiceOut } from '../serializers/choices.js';
import type { ChoiceKind } from '../types.js';
import { choiceWriteRoutes } from './choice-writes.js';
import { mergeRoutes } from './items.js';
import { parseId } from './lookup.js';

/** [path, kind, model name, bulk_update_order field] */
const ENDPOINTS: [string, ChoiceKind, string, string][] = [
  ['/userstory-statuses', 'us_status', 'UserStoryStatus', 'bulk_userstory_statuses'],
  ['/task-statuses', 'task_status', 'TaskStatus', 'bulk_task_statuses'],
  ['/issue-statuses', 'issue_status', 'IssueStatus', 'bulk_issue_statuses'],
  ['/epic-statuses', 'epic_status', 'EpicStatus', 'bulk_epic_statuses'],
  ['/points', 'points', 'Points', 'bulk_points'],
  ['/priorities', 'priority', 'Priority', 'bulk_priorities'],
  ['/severities', 'severity', 'Severity', 'bulk_severities'],
  ['/issue-types', 'issue_type', 'IssueType', 'bulk_issue_types'],
];

function lister(kind: ChoiceKind) {
  return (ctx: Ctx): Reply => {
    const projectId = ctx.query['project'] !== undefined ? Number(ctx.query['project']) : undefined;
    const values = ctx.state
      .choicesOf(kind, projectId)
      .filter((c) => can(ctx, ctx.state.projects.get(c.project)!, 'view_project'));
    return paginate(ctx, values.map(choiceOut));
  };
}

function getter(kind: ChoiceKind, model: string) {
  return (ctx: Ctx): Reply => {
    const c = ctx.state.choice(kind, parseId(ctx));
    if (!c) throw notFoundModel(model);
    return ok(choiceOut(c));
  };
}

export const metadataRoutes: RouteTable = ENDPOINTS.flatMap(([path, kind, model, bulkField]): RouteTable => mergeRoutes(
  [
    [path, { GET: lister(kind) }],
    [`${path}/:id`, { GET: getter(kind, model) }],
  ],
  choiceWriteRoutes(path, kind, model, bulkField),
));
