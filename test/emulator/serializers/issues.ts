// Issue serializers: list item (33 keys, no total_comments), full
// (create/update) and the retrieve/by_ref detail (+ neighbors).
import type { Ctx } from '../context.js';
import type { Issue } from '../types.js';
import { dueDateFields, generatedStories, html, isClosedStatus, itemHead, neighbors } from './items.js';

export function issueListItem(ctx: Ctx, i: Issue) {
  const closed = isClosedStatus(ctx.state, 'issue_status', i.status);
  const { tags, ...head } = itemHead(ctx, i, 'issue_status');
  return {
    tags, ...dueDateFields(i, closed), ...head,
    id: i.id, ref: i.ref, severity: i.severity, priority: i.priority, type: i.type, milestone: i.milestone,
    created_date: i.created_date, modified_date: i.modified_date, finished_date: i.finished_date, subject: i.subject,
    external_reference: i.external_reference, version: i.version, watchers: i.watchers, is_blocked: i.is_blocked,
    blocked_note: i.blocked_note, is_closed: closed,
  };
}

export function issueFull(ctx: Ctx, i: Issue) {
  return {
    ...issueListItem(ctx, i), comment: '', generated_user_stories: generatedStories(ctx.state, (s) => s.generated_from_issue === i.id),
    blocked_note_html: html(i.blocked_note), description: i.description, description_html: html(i.description),
  };
}

/** Default order of /issues: project, newest first. */
export function issueOrder(a: Issue, b: Issue): number {
  return a.project - b.project || b.id - a.id;
}

export function issueDetail(ctx: Ctx, i: Issue) {
  const siblings = [...ctx.state.issues.values()].filter((x) => x.project === i.project).sort(issueOrder);
  return { ...issueFull(ctx, i), neighbors: neighbors(siblings, i) };
}
