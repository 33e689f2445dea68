// The default "scrum" project template of taiga-back (§9.11), used by the seed
// and by POST /projects.
import type { ChoiceKind } from './types.js';

type ChoiceRow = [name: string, color: string, isClosed?: boolean, isArchived?: boolean];

export const TEMPLATE_CHOICES: Record<Exclude<ChoiceKind, 'points'>, ChoiceRow[]> = {
  us_status: [
    ['New', '#70728F'], ['Ready', '#E44057'], ['In progress', '#E47C40'], ['Ready for test', '#E4CE40'],
    ['Done', '#A8E440', true], ['Archived', '#A9AABC', true, true],
  ],
  task_status: [
    ['New', '#70728F'], ['In progress', '#E47C40'], ['Ready for test', '#E4CE40'], ['Closed', '#A8E440', true],
    ['Needs Info', '#5178D3'],
  ],
  issue_status: [
    ['New', '#70728F'], ['In progress', '#40A8E4'], ['Ready for test', '#E4CE40'], ['Closed', '#A8E440', true],
    ['Needs Info', '#E44057'], ['Rejected', '#A9AABC', true], ['Postponed', '#5178D3'],
  ],
  epic_status: [
    ['New', '#70728F'], ['Ready', '#E44057'], ['In progress', '#E47C40'], ['Ready for test', '#E4CE40'],
    ['Done', '#A8E440', true],
  ],
  priority: [['Low', '#A8E440'], ['Normal', '#E4CE40'], ['High', '#E47C40']],
  severity: [['Wishlist', '#70728F'], ['Minor', '#40A8E4'], ['Normal', '#40E47C'], ['Important', '#E4A240'], ['Critical', '#D35450']],
  issue_type: [['Bug', '#E44057'], ['Question', '#5178D3'], ['Enhancement', '#40E4CE']],
};
/** Priorities are ordered 1, 3, 5 in the template. */
export const PRIORITY_ORDERS = [1, 3, 5];

export const TEMPLATE_POINTS: [string, number | null][] = [
  ['?', null], ['0', 0], ['1/2', 0.5], ['1', 1], ['2', 2], ['3', 3], ['5', 5], ['8', 8], ['10', 10], ['13', 13], ['20', 20], ['40', 40],
];

/** Index (0-based) of the default value of each kind. */
export const TEMPLATE_DEFAULTS: Record<ChoiceKind, number> = {
  us_status: 0, task_status: 0, issue_status: 0, epic_status: 0, points: 0, priority: 1, severity: 2, issue_type: 0,
};

export const VIEW_PERMISSIONS = [
  'view_project', 'view_milestones', 'view_epics', 'view_us', 'view_tasks', 'view_issues', 'view_wiki_pages', 'view_wiki_links',
];

const ROLE_PERMISSIONS = [
  'add_issue', 'modify_issue', 'delete_issue', 'view_issues', 'add_milestone', 'modify_milestone', 'delete_milestone',
  'view_milestones', 'view_project', 'add_task', 'modify_task', 'delete_task', 'view_tasks', 'add_us', 'modify_us',
  'delete_us', 'view_us', 'add_wiki_page', 'modify_wiki_page', 'delete_wiki_page', 'view_wiki_pages', 'add_wiki_link',
  'delete_wiki_link', 'view_wiki_links', 'view_epics', 'add_epic', 'modify_epic', 'delete_epic', 'comment_epic',
  'comment_us', 'comment_task', 'comment_issue', 'comment_wiki_page',
];
const STAKEHOLDER_PERMISSIONS = [
  'add_issue', 'modify_issue', 'delete_issue', 'view_issues', 'view_milestones', 'view_project', 'view_tasks', 'view_us',
  'modify_wiki_page', 'view_wiki_pages', 'add_wiki_link', 'delete_wiki_link', 'view_wiki_links', 'view_epics',
  'comment_epic', 'comment_us', 'comment_task', 'comment_issue', 'comment_wiki_page',
];
export const ADMIN_PERMISSIONS = ['modify_project', 'delete_project', 'add_member', 'remove_member', 'admin_project_values', 'admin_roles'];
export const MEMBER_PERMISSIONS = [...ROLE_PERMISSIONS, 'modify_wiki_link'];

export const TEMPLATE_ROLES: { name: string; computable: boolean; permissions: string[] }[] = [
  { name: 'UX', computable: true, permissions: ROLE_PERMISSIONS },
  { name: 'Design', computable: true, permissions: ROLE_PERMISSIONS },
  { name: 'Front', computable: true, permissions: ROLE_PERMISSIONS },
  { name: 'Back', computable: true, permissions: ROLE_PERMISSIONS },
  { name: 'Product Owner', computable: false, permissions: ROLE_PERMISSIONS },
  { name: 'Stakeholder', computable: false, permissions: STAKEHOLDER_PERMISSIONS },
];
/** The template's default_owner_role: "Product Owner". */
export const OWNER_ROLE_INDEX = 4;

export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9\s/-]/g, '')
      .replace(/[\s/]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}
