// In-memory entity shapes. Field names follow taiga-back's models so that the
// serializers stay thin.

export interface User {
  id: number;
  username: string;
  full_name: string;
  email: string;
  password: string;
  color: string;
  gravatar_id: string;
  uuid: string;
  date_joined: string;
  is_active: boolean;
  is_superuser: boolean;
  /** The bitbucket/github/gitlab/gogs bot users: never listed, cannot log in. */
  is_system: boolean;
}

export type ChoiceKind =
  | 'us_status' | 'task_status' | 'issue_status' | 'epic_status'
  | 'points' | 'priority' | 'severity' | 'issue_type';

/** Statuses, points, priorities, severities and issue types share one shape. */
export interface Choice {
  id: number;
  kind: ChoiceKind;
  project: number;
  name: string;
  slug: string;
  order: number;
  color: string;
  is_closed: boolean;
  is_archived: boolean;
  wip_limit: number | null;
  value: number | null;
}

export interface Role {
  id: number;
  project: number;
  name: string;
  slug: string;
  order: number;
  computable: boolean;
  permissions: string[];
}

export interface Membership {
  id: number;
  project: number;
  user: number | null;
  role: number;
  is_admin: boolean;
  email: string | null;
  created_at: string;
  invited_by: number | null;
  invitation_extra_text: string | null;
  user_order: number;
  token: string | null;
}

export interface Project {
  id: number;
  name: string;
  slug: string;
  description: string;
  created_date: string;
  modified_date: string;
  owner: number;
  is_private: boolean;
  blocked_code: string | null;
  tags: string[];
  tags_colors: Record<string, string | null>;
  anon_permissions: string[];
  public_permissions: string[];
  is_epics_activated: boolean;
  is_backlog_activated: boolean;
  is_kanban_activated: boolean;
  is_wiki_activated: boolean;
  is_issues_activated: boolean;
  is_contact_activated: boolean;
  is_featured: boolean;
  is_looking_for_people: boolean;
  looking_for_people_note: string;
  videoconferences: string | null;
  videoconferences_extra_data: string | null;
  creation_template: number;
  total_milestones: number | null;
  total_story_points: number | null;
  /** Users who like the project. */
  fans: number[];
  watchers: number[];
  /** GET/PATCH /projects/{id}/modules: the integrations' config, made on first read. */
  modules: Record<string, Record<string, unknown>> | null;
  /** Defaults of the choice values: kind → id. */
  defaults: Partial<Record<ChoiceKind, number>>;
}

export interface Milestone {
  id: number;
  project: number;
  name: string;
  slug: string;
  owner: number;
  estimated_start: string;
  estimated_finish: string;
  created_date: string;
  modified_date: string;
  closed: boolean;
  disponibility: number;
  order: number;
  watchers: number[];
}

/** What epics, user stories, tasks and issues share (taiga-back's mixins). */
export interface WorkItem {
  id: number;
  project: number;
  /** From the project's ref sequence, shared by the four kinds. */
  ref: number;
  subject: string;
  description: string;
  status: number;
  owner: number | null;
  assigned_to: number | null;
  tags: string[];
  watchers: number[];
  voters: number[];
  is_blocked: boolean;
  blocked_note: string;
  external_reference: unknown[] | null;
  created_date: string;
  modified_date: string;
  /** OCC counter (§7): bumped by every PUT/PATCH, never by bulk moves. */
  version: number;
}

/** Stories, tasks and issues have a due date; epics do not. */
export interface DueDated {
  due_date: string | null;
  due_date_reason: string;
}

export interface Epic extends WorkItem {
  color: string;
  epics_order: number;
  client_requirement: boolean;
  team_requirement: boolean;
}

/** An epic ↔ story link (RelatedUserStory); a story may be of another project. */
export interface EpicLink {
  id: number;
  epic: number;
  user_story: number;
  order: number;
}

export interface Task extends WorkItem, DueDated {
  user_story: number | null;
  milestone: number | null;
  us_order: number;
  taskboard_order: number;
  is_iocaine: boolean;
  finished_date: string | null;
}

export interface Issue extends WorkItem, DueDated {
  type: number;
  priority: number;
  severity: number;
  milestone: number | null;
  finished_date: string | null;
}

export interface UserStory extends WorkItem, DueDated {
  milestone: number | null;
  assigned_users: number[];
  /** role id → points id */
  points: Record<string, number>;
  backlog_order: number;
  sprint_order: number;
  kanban_order: number;
  finish_date: string | null;
  client_requirement: boolean;
  team_requirement: boolean;
  swimlane: number | null;
  generated_from_issue: number | null;
  generated_from_task: number | null;
  /** "Task #12" when promoted from a task (the task itself is deleted). */
  from_task_ref: string | null;
}

export * from './types-content.js';
