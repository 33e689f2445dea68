// Choice-value endpoints (statuses, points, priorities, severities, issue
// types): list and retrieve, filtered by `project`.
import type { Ctx, RouteTable } from '../context.js';
import { NOT_EMULATED_WRITES, notEmulated, notFoundModel, ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can } from '../permissions.js';
import { choiceOut } from '../serializers/choices.js';
import type { ChoiceKind } from '../types.js';
import { parseId } from './lookup.js';

const ENDPOINTS: [string, ChoiceKind, string][] = [
  ['/userstory-statuses', 'us_status', 'UserStoryStatus'],
  ['/task-statuses', 'task_status', 'TaskStatus'],
  ['/issue-statuses', 'issue_status', 'IssueStatus'],
  ['/epic-statuses', 'epic_status', 'EpicStatus'],
  ['/points', 'points', 'Points'],
  ['/priorities', 'priority', 'Priority'],
  ['/severities', 'severity', 'Severity'],
  ['/issue-types', 'issue_type', 'IssueType'],
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

export const metadataRoutes: RouteTable = ENDPOINTS.flatMap(([path, kind, model]): RouteTable => [
  [path, { GET: lister(kind), POST: notEmulated }],
  [`${path}/:id`, { GET: getter(kind, model), ...NOT_EMULATED_WRITES }],
]);
