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
  total_fans: number;
  total_activity: number;
  watchers: number[];
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
}

export interface Epic {
  id: number;
  project: number;
  ref: number;
  subject: string;
  color: string;
}

export interface Task {
  id: number;
  project: number;
  ref: number;
  user_story: number | null;
  milestone: number | null;
  subject: string;
  is_closed: boolean;
}

/** One OCC history entry: the field keys it changed (a comment-only entry has none). */
export interface HistoryEntry {
  keys: string[];
}

export interface UserStory {
  id: number;
  project: number;
  ref: number;
  subject: string;
  description: string;
  status: number;
  milestone: number | null;
  owner: number | null;
  assigned_to: number | null;
  assigned_users: number[];
  tags: string[];
  /** role id → points id */
  points: Record<string, number>;
  backlog_order: number;
  sprint_order: number;
  kanban_order: number;
  created_date: string;
  modified_date: string;
  finish_date: string | null;
  client_requirement: boolean;
  team_requirement: boolean;
  is_blocked: boolean;
  blocked_note: string;
  due_date: string | null;
  due_date_reason: string;
  external_reference: unknown[] | null;
  swimlane: number | null;
  watchers: number[];
  voters: number[];
  epics: number[];
  total_comments: number;
  total_attachments: number;
  version: number;
  history: HistoryEntry[];
  generated_from_issue: number | null;
  generated_from_task: number | null;
}
