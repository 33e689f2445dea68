// /project-templates: the "scrum" and "kanban" templates (template.ts), with
// the default configuration a new project gets from them.
import { PRIORITY_ORDERS, TEMPLATE_CHOICES, TEMPLATE_DEFAULTS, TEMPLATE_POINTS, TEMPLATE_ROLES, slugify } from '../template.js';
import type { ChoiceKind } from '../types.js';

const rows = (kind: Exclude<ChoiceKind, 'points'>) => TEMPLATE_CHOICES[kind];
const defaultName = (kind: ChoiceKind) =>
  kind === 'points' ? TEMPLATE_POINTS[TEMPLATE_DEFAULTS.points]![0] : rows(kind)[TEMPLATE_DEFAULTS[kind]]![0];

function statuses(kind: 'epic_status' | 'task_status' | 'issue_status') {
  return rows(kind).map(([name, color, closed], i) => ({ name, slug: slugify(name), color, order: i + 1, is_closed: !!closed }));
}

function template(id: number, name: string, kanban: boolean) {
  const kinds: ChoiceKind[] = ['points', 'priority', 'severity', 'us_status', 'issue_type', 'epic_status', 'task_status', 'issue_status'];
  return {
    id, name, slug: name.toLowerCase(), description: `The ${name} template of the emulator's Taiga.`, order: id,
    created_date: id === 1 ? '2014-04-22T14:48:43.596Z' : '2014-04-22T14:50:19.738Z',
    modified_date: id === 1 ? '2016-08-24T16:26:40.845Z' : '2016-08-24T16:26:45.365Z', default_owner_role: 'product-owner',
    is_contact_activated: true, is_epics_activated: false, is_backlog_activated: !kanban, is_kanban_activated: kanban,
    is_wiki_activated: !kanban, is_issues_activated: !kanban, videoconferences: null, videoconferences_extra_data: '',
    default_options: Object.fromEntries(kinds.map((k) => [k, defaultName(k)])),
    epic_statuses: statuses('epic_status'),
    us_statuses: rows('us_status').map(([n, color, closed, archived], i) => ({
      name: n, slug: slugify(n), color, order: i + 1, is_closed: !!closed, wip_limit: null, is_archived: !!archived,
    })),
    points: TEMPLATE_POINTS.map(([n, value], i) => ({ name: n, order: i + 1, value })),
    task_statuses: statuses('task_status'), issue_statuses: statuses('issue_status'),
    issue_types: rows('issue_type').map(([n, color], i) => ({ name: n, color, order: i + 1 })),
    priorities: rows('priority').map(([n, color], i) => ({ name: n, color, order: PRIORITY_ORDERS[i]! })),
    severities: rows('severity').map(([n, color], i) => ({ name: n, color, order: i + 1 })),
    roles: TEMPLATE_ROLES.map((r, i) => ({ name: r.name, slug: slugify(r.name), order: (i + 1) * 10, computable: r.computable, permissions: r.permissions })),
  };
}

export const PROJECT_TEMPLATES = [template(1, 'Scrum', false), template(2, 'Kanban', true)];
