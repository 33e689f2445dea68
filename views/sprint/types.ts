/** A story as get_sprint lists it (the lean output of taiga-mcp). */
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

/** update_user_story's answer: the story's name and new version, the fields it changed, the ones it emptied. */
export type StoryChange = Partial<Story> & Pick<Story, 'id' | 'ref' | 'subject' | 'version'> & { cleared?: string[] };

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
  /** Only when asked for (include: ["burndown"]). */
  burndown?: BurndownDay[];
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
