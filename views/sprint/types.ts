/** A story as get_sprint lists it and update_user_story returns it (the lean output of taiga-mcp). */
export interface Story {
  id: number;
  ref: number;
  subject: string;
  version: number;
  status?: string;
  closed?: boolean;
  assigned_to?: string;
  co_assignees?: string[];
  total_points?: number;
  tags?: string[];
  blocked?: boolean;
  blocked_note?: string;
}

export interface Sprint {
  id: number;
  name: string;
  start: string;
  finish: string;
  closed?: boolean;
  stories: number;
  total_points?: number;
  closed_points?: number;
  project: number;
}

export interface BurndownDay {
  day: string;
  open_points: number;
  optimal_points: number;
}

export interface SprintStats {
  total_points: number;
  completed_points: number;
  total_stories: number;
  completed_stories: number;
  total_tasks: number;
  completed_tasks: number;
  burndown: BurndownDay[];
}

/** get_sprint's structuredContent. */
export interface SprintData {
  sprint: Sprint;
  stories: Story[];
  stats: SprintStats;
}

/** A board column: a user-story status of the project. */
export interface Column {
  name: string;
  closed: boolean;
}

export interface TaskCount {
  done: number;
  total: number;
}
