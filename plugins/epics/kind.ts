import { defineWorkItem, filters, inputs } from '../../core/work-items/index.js';

const { subject, description, status, assigned_to, color, tags, client_requirement, team_requirement, blocked } = inputs;

/** Epics group user stories (of any project) and have a colour; their order is not versioned. */
export const EPIC = defineWorkItem({
  name: 'epic', plural: 'epics', label: 'epic', labelPlural: 'epics', endpoint: '/epics', historyType: 'epic', status: 'epic_status',
  write: { subject, description, status, assigned_to, color, tags, client_requirement, team_requirement, blocked },
  filters: {
    status: filters.status, assigned_to: filters.epicAssignee, owner: filters.owner, watcher: filters.watcher, closed: filters.closed, tags: filters.tags, search: filters.search,
    created: filters.created, modified: filters.modified,
  },
  list: ['ref', 'subject', 'status', 'closed', 'assigned_to', 'color', 'user_stories', 'tags', 'blocked', 'id', 'version'],
  detail: ['ref', 'subject', 'status', 'closed', 'assigned_to', 'color', 'user_stories', 'tags', 'blocked', 'blocked_note', 'client_requirement', 'team_requirement', 'owner', 'id', 'version', 'project', 'created', 'modified', 'description'],
  boardFields: [],
  uriSegment: 'epics',
  deletes: 'its links to user stories (not the stories)',
});
