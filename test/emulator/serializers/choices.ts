// Statuses, points, priorities, severities, issue types and roles, in the
// endpoint shape (`project`) and the project-detail shape (`project_id`).
import type { State } from '../state.js';
import type { Choice, Role } from '../types.js';

export function choiceOut(c: Choice) {
  switch (c.kind) {
    case 'us_status':
      return { id: c.id, name: c.name, slug: c.slug, order: c.order, is_closed: c.is_closed, is_archived: c.is_archived, color: c.color, wip_limit: c.wip_limit, project: c.project };
    case 'task_status':
    case 'issue_status':
    case 'epic_status':
      return { id: c.id, name: c.name, slug: c.slug, order: c.order, is_closed: c.is_closed, color: c.color, project: c.project };
    case 'points':
      return { id: c.id, name: c.name, order: c.order, value: c.value, project: c.project };
    default:
      return { id: c.id, name: c.name, order: c.order, color: c.color, project: c.project };
  }
}

/** In project detail the key is `project_id` (SQL-built JSON). */
export function choiceInProject(c: Choice) {
  const { project, ...rest } = choiceOut(c);
  return { ...rest, project_id: project };
}

export function roleOut(state: State, r: Role) {
  const members = [...state.memberships.values()].filter((m) => m.role === r.id).length;
  return { id: r.id, name: r.name, slug: r.slug, project: r.project, order: r.order, computable: r.computable, permissions: r.permissions, members_count: members };
}

export function roleInProject(r: Role) {
  return { id: r.id, name: r.name, slug: r.slug, permissions: r.permissions, order: r.order, computable: r.computable, project_id: r.project };
}
