// The project timelines (§9.20): one entry per saved history entry (also when
// a comment action saves it again), per project creation, membership and sprint
// event, as taiga-back's timeline signals push them. `total_activity` counts them.
export interface TimelineEntry {
  id: number;
  /** The timeline's owner (the project); `data_content_type` is the object the event is about. */
  content_type: number;
  object_id: number;
  namespace: string;
  event_type: string;
  project: number;
  data: Record<string, unknown>;
  data_content_type: number;
  created: string;
}

/** Django content type ids: 15 and 53 are the recorded ones (projects.project, userstories.userstory); the rest are made up. */
export const CONTENT_TYPE_IDS: Record<string, number> = {
  'projects.project': 15, 'projects.membership': 16, 'milestones.milestone': 40, 'epics.epic': 45,
  'userstories.userstory': 53, 'tasks.task': 57, 'issues.issue': 61, 'wiki.wikipage': 66,
};

export class TimelineLog {
  private entries: TimelineEntry[] = [];
  private lastId = 0;

  push(projectId: number, eventType: string, data: Record<string, unknown>, created: string): TimelineEntry {
    const model = eventType.split('.').slice(0, 2).join('.');
    const entry: TimelineEntry = {
      id: ++this.lastId, content_type: CONTENT_TYPE_IDS['projects.project']!, object_id: projectId, namespace: `project:${projectId}`,
      event_type: eventType, project: projectId, data, data_content_type: CONTENT_TYPE_IDS[model] ?? 0, created,
    };
    this.entries.push(entry);
    return entry;
  }

  /** Newest first; entries of one moment by id, newest first. */
  ofProject(projectId: number): TimelineEntry[] {
    return this.entries
      .filter((e) => e.project === projectId)
      .sort((a, b) => b.created.localeCompare(a.created) || b.id - a.id);
  }

  countOf(projectId: number): number {
    let n = 0;
    for (const e of this.entries) if (e.project === projectId) n += 1;
    return n;
  }
}
