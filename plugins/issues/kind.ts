import { defineWorkItem, filters, inputs, orderBy } from '../../core/work-items/index.js';

const { subject, description, status, priority, severity, type, assigned_to, sprint, tags, due_date, blocked } = inputs;

/** Issues carry a type, a priority and a severity besides their status; each defaults to the project's. */
export const ISSUE = defineWorkItem({
  name: 'issue', plural: 'issues', label: 'issue', labelPlural: 'issues', endpoint: '/issues', historyType: 'issue', status: 'issue_status',
  write: { subject, description, status, type, priority, severity, assigned_to, sprint, tags, due_date, blocked },
  filters: {
    status: filters.status, type: filters.type, priority: filters.priority, severity: filters.severity, assigned_to: filters.assigned_to,
    owner: filters.owner, watcher: filters.watcher, sprint: filters.sprint, closed: filters.closed, tags: filters.tags, search: filters.search,
    created: filters.created, modified: filters.modified, finished: filters.finished,
    order_by: orderBy(['created_date', 'modified_date', 'priority', 'severity', 'type', 'status', 'assigned_to', 'owner', 'subject', 'ref', 'total_voters']),
  },
  list: ['ref', 'subject', 'status', 'closed', 'type', 'priority', 'severity', 'assigned_to', 'sprint', 'tags', 'due_date', 'blocked', 'id', 'version'],
  detail: ['ref', 'subject', 'status', 'closed', 'type', 'priority', 'severity', 'assigned_to', 'sprint', 'tags', 'due_date', 'blocked', 'blocked_note', 'owner', 'id', 'version', 'project', 'created', 'modified', 'finished', 'description'],
  boardFields: ['milestone'],
  uriSegment: 'issues',
});
