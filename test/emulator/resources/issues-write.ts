// /issues writes: create (status, type, priority and severity default to the
// project's), PUT/PATCH with OCC, delete, bulk_create, bulk_update_milestone
// and promote_to_user_story. Cross-project ids are 403 (README #8).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { noContent, ok, permissionDenied, type Reply } from '../http.js';
import { commitCreate } from '../occ.js';
import { can, denied, requireNotBlocked } from '../permissions.js';
import { issueFull, issueOrder } from '../serializers/issues.js';
import type { ChoiceKind, Issue, Project } from '../types.js';
import { Checker } from './item-input.js';
import { createItem, deleteItem, readCommon, updateItem, type WriteHooks } from './item-write.js';
import { promoteRoute } from './promote.js';
import { visibleOr404 } from './lookup.js';
import { ISSUE } from './specs.js';

const CHOICES: [field: 'status' | 'type' | 'priority' | 'severity', kind: ChoiceKind][] = [
  ['status', 'issue_status'], ['type', 'issue_type'], ['priority', 'priority'], ['severity', 'severity'],
];

function syncFinished(ctx: Ctx, i: Issue): void {
  const closed = ctx.state.choice('issue_status', i.status)?.is_closed ?? false;
  if (closed && !i.finished_date) i.finished_date = new Date().toISOString();
  if (!closed && i.finished_date) i.finished_date = null;
}

function blankIssue(ctx: Ctx, project: Project): Issue {
  const now = new Date().toISOString();
  const d = project.defaults;
  return {
    id: 0, project: project.id, ref: 0, subject: '', description: '', status: d.issue_status!, type: d.issue_type!, priority: d.priority!,
    severity: d.severity!, owner: ctx.user?.id ?? null, assigned_to: null, tags: [], watchers: [], voters: [], is_blocked: false,
    blocked_note: '', external_reference: null, created_date: now, modified_date: now, version: 1, due_date: null, due_date_reason: '',
    milestone: null, finished_date: null,
  };
}

function read(ctx: Ctx, c: Checker, project: Project | undefined, creating: boolean): (i: Issue) => void {
  const common = readCommon<Issue>(ctx, c, project, creating);
  const choices = CHOICES.map(([field, kind]) => [field, kind, c.choice(field, kind)] as const);
  const milestone = c.pk('milestone', (id) => ctx.state.milestones.has(id));
  const dueDate = c.dueDate();
  const reason = c.text('due_date_reason');
  return (i) => {
    common(i);
    const defaults = ctx.state.projects.get(i.project)!.defaults;
    for (const [field, kind, value] of choices) if (value !== undefined) i[field] = value ?? defaults[kind]!;
    if (milestone !== undefined) i.milestone = milestone;
    if (dueDate !== undefined) i.due_date = dueDate;
    if (reason !== undefined) i.due_date_reason = reason;
    syncFinished(ctx, i);
  };
}

function check(ctx: Ctx, i: Issue): void {
  if (i.milestone && ctx.state.milestones.get(i.milestone)?.project !== i.project) {
    throw permissionDenied("You don't have permissions to set this sprint to this issue.");
  }
  for (const [field, kind] of [['status', 'issue_status'], ['severity', 'severity'], ['priority', 'priority'], ['type', 'issue_type']] as const) {
    if (ctx.state.choice(kind, i[field])?.project !== i.project) throw permissionDenied(`You don't have permissions to set this ${field} to this issue.`);
  }
}

const HOOKS: WriteHooks<Issue> = {
  spec: ISSUE, read, blank: blankIssue, check, blockedFirst: false,
  remap: [['status', 'issue_status', 'slug'], ['priority', 'priority', 'name'], ['severity', 'severity', 'name'], ['type', 'issue_type', 'name']],
  dropOnMove: [['milestone', (ctx, id, pid) => ctx.state.milestones.get(id)?.project === pid]],
};

function reset(i: Issue, project: Project): void {
  const d = project.defaults;
  Object.assign(i, {
    status: d.issue_status!, type: d.issue_type!, priority: d.priority!, severity: d.severity!, milestone: null, assigned_to: null,
    tags: [], description: '', is_blocked: false, blocked_note: '', due_date: null, due_date_reason: '',
  });
}

function bulkCreate(ctx: Ctx): Reply {
  const { state } = ctx;
  const c = new Checker(ctx, bodyObject(ctx));
  const project = c.projectId();
  const milestone = c.int('milestone_id', false);
  const lines = c.lines('bulk_issues');
  c.done();
  if (!can(ctx, project!, ISSUE.perms.add)) denied(ctx);
  requireNotBlocked(project!);
  const created = lines!.map((subject) => {
    const issue: Issue = { ...blankIssue(ctx, project!), subject, milestone: milestone ?? null };
    issue.id = state.nextId('issue');
    issue.ref = state.nextRef(project!.id);
    state.issues.set(issue.id, issue);
    commitCreate(ctx, 'issue', issue, {});
    return issue;
  });
  return ok(created.sort(issueOrder).map((i) => issueFull(ctx, i)));
}

/**
 * {issueId: milestoneId}; unlike stories and tasks, no history entry is
 * written. taiga-back's check of the issues' project is a misnamed method
 * (validate_bulk_tasks) that never runs, so issues of other projects move too.
 */
function bulkUpdateMilestone(ctx: Ctx): Reply {
  const { state } = ctx;
  const c = new Checker(ctx, bodyObject(ctx));
  const project = c.projectId();
  const milestoneId = c.int('milestone_id');
  const raw = c.body['bulk_issues'];
  if (!Array.isArray(raw)) c.fail('bulk_issues', 'This field is required.');
  if (project && milestoneId !== undefined && state.milestones.get(milestoneId)?.project !== project.id) {
    c.fail('milestone_id', "The milestone isn't valid for the project");
  }
  c.done();
  visibleOr404(ctx, project);
  const milestone = state.milestones.get(milestoneId!);
  visibleOr404(ctx, milestone && state.projects.get(milestone.project));
  if (!can(ctx, project!, ISSUE.perms.modify)) denied(ctx);
  const out: Record<string, number> = {};
  for (const item of raw as { issue_id: number }[]) {
    const issue = state.issues.get(Number(item.issue_id));
    if (issue) issue.milestone = milestoneId!;
    out[String(item.issue_id)] = milestoneId!;
  }
  return ok(out);
}

export const issueWriteRoutes: RouteTable = [
  ['/issues', { POST: (ctx) => ok(issueFull(ctx, createItem(ctx, HOOKS)), 201) }],
  ['/issues/:id', {
    PUT: (ctx) => ok(issueFull(ctx, updateItem(ctx, HOOKS, reset))),
    PATCH: (ctx) => ok(issueFull(ctx, updateItem(ctx, HOOKS, reset))),
    DELETE: (ctx) => (deleteItem(ctx, ISSUE), noContent()),
  }],
  ['/issues/bulk_create', { POST: bulkCreate }],
  ['/issues/bulk_update_milestone', { POST: bulkUpdateMilestone }],
  promoteRoute('/issues', ISSUE),
];
