import { defineWorkItem, filters, inputs, orderBy } from '../../core/work-items/index.js';

const { subject, description, status, assigned_to, user_story, sprint, tags, due_date, blocked, is_iocaine } = inputs;

/** Tasks belong to a user story (or none) and follow its sprint; Taiga calls a critical one "iocaine". */
export const TASK = defineWorkItem({
  name: 'task', plural: 'tasks', label: 'task', labelPlural: 'tasks', endpoint: '/tasks', historyType: 'task', status: 'task_status',
  write: { subject, description, status, assigned_to, user_story, sprint, tags, due_date, blocked, is_iocaine },
  filters: {
    user_story: filters.user_story, status: filters.status, assigned_to: filters.assigned_to, owner: filters.owner, watcher: filters.watcher, sprint: filters.sprint,
    closed: filters.closed, tags: filters.tags, search: filters.search, created: filters.created, modified: filters.modified, finished: filters.finished,
    order_by: orderBy(['created_date', 'modified_date', 'status', 'assigned_to', 'subject', 'us_order', 'total_voters']),
  },
  list: ['ref', 'subject', 'status', 'closed', 'assigned_to', 'user_story_ref', 'sprint', 'tags', 'iocaine', 'due_date', 'blocked', 'id', 'version'],
  detail: ['ref', 'subject', 'status', 'closed', 'assigned_to', 'user_story_ref', 'user_story_id', 'sprint', 'tags', 'iocaine', 'due_date', 'blocked', 'blocked_note', 'owner', 'id', 'version', 'project', 'created', 'modified', 'finished', 'description'],
  boardFields: ['milestone', 'status', 'user_story'],
  uriSegment: 'tasks',
});
