import { defineWorkItem, filters, inputs, orderBy } from '../../core/work-items/index.js';

const { subject, description, status, assigned_to, sprint, points, tags, due_date, blocked, client_requirement, team_requirement } = inputs;

// A project's own story list names its stories by ref (with the link pattern, the handle a person
// uses too): the id costs a twelfth of a 30-story page. Stories listed elsewhere keep their ids.
const LIST = ['ref', 'subject', 'status', 'closed', 'assigned_to', 'co_assignees', 'sprint', 'total_points', 'tags', 'due_date', 'blocked'] as const;

export const USER_STORY = defineWorkItem({
  name: 'user_story', plural: 'user_stories', label: 'user story', labelPlural: 'user stories', endpoint: '/userstories', historyType: 'userstory', status: 'us_status',
  write: { subject, description, status, assigned_to, sprint, points, tags, due_date, blocked, client_requirement, team_requirement },
  filters: {
    status: filters.status, assigned_to: filters.assigned_to, owner: filters.owner, watcher: filters.watcher, sprint: filters.sprint, epic: filters.epic, tags: filters.tags,
    closed: filters.closedByTasks, search: filters.search, created: filters.created, modified: filters.modified, finished: filters.finish,
    order_by: orderBy(['created_date', 'modified_date', 'status', 'assigned_to', 'subject', 'backlog_order', 'sprint_order', 'kanban_order', 'total_voters']),
  },
  list: [...LIST, 'version'],
  detail: ['ref', 'subject', 'status', 'closed', 'assigned_to', 'co_assignees', 'sprint', 'total_points', 'tags', 'epics', 'due_date', 'blocked', 'blocked_note', 'client_requirement', 'team_requirement', 'owner', 'id', 'version', 'project', 'created', 'modified', 'finished', 'description'],
  boardFields: ['milestone', 'status', 'swimlane'],
  uriSegment: 'user-stories',
  coAssignees: true,
  deletes: 'its tasks',
});

/** A sprint's stories and an epic's (from any project): by id too, which the sprint board moves and another project's ref needs. */
export const STORY_ROWS: readonly string[] = [...LIST, 'id', 'version'];
