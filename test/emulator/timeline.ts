// The timelines (§9.20): one entry per saved history entry (also when a comment
// action saves it again), per project creation, membership and sprint event, as
// taiga-back's timeline signals push them. `total_activity` counts a project's.
// taiga-back's push_to_timelines also writes, in the namespace `user:<actor>`, one
// entry per person related to the object (owner, assigned, watchers): the user
// timeline (`/timeline/user/{id}`) is that namespace, so it repeats an event once
// per related person (written from taiga-back's timeline/service.py, not recorded).
export interface TimelineEntry {
  id: number;
  /** The timeline's owner (the project); `data_content_type` is the object the event is about. */
  /** The timeline's owner: the project (15), or a related person (users.user) in a user namespace. */
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
  'userstories.userstory': 53, 'users.user': 6, 'tasks.task': 57, 'issues.issue': 61, 'wiki.wikipage': 66,
};

export class TimelineLog {
  private entries: TimelineEntry[] = [];
  private lastId = 0;

  /** `actor` and `related` (distinct user ids): the user namespace's entries, one per related person. */
  push(projectId: number, eventType: string, data: Record<string, unknown>, created: string, actor?: number, related: readonly number[] = []): TimelineEntry {
    const model = eventType.split('.').slice(0, 2).join('.');
    const base = { event_type: eventType, project: projectId, data, data_content_type: CONTENT_TYPE_IDS[model] ?? 0, created };
    const entry: TimelineEntry = { id: ++this.lastId, content_type: CONTENT_TYPE_IDS['projects.project']!, object_id: projectId, namespace: `project:${projectId}`, ...base };
    this.entries.push(entry);
    if (actor !== undefined) {
      for (const person of related) this.entries.push({ id: ++this.lastId, content_type: CONTENT_TYPE_IDS['users.user']!, object_id: person, namespace: `user:${actor}`, ...base });
    }
    return entry;
  }

  /** Newest first; entries of one moment by id, newest first. */
  ofProject(projectId: number): TimelineEntry[] {
    return this.inNamespace(`project:${projectId}`);
  }

  ofUser(userId: number): TimelineEntry[] {
    return this.inNamespace(`user:${userId}`);
  }

  private inNamespace(namespace: string): TimelineEntry[] {
    return this.entries.filter((e) => e.namespace === namespace).sort((a, b) => b.created.localeCompare(a.created) || b.id - a.id);
  }

  countOf(projectId: number): number {
    let n = 0;
    for (const e of this.entries) if (e.namespace === `project:${projectId}`) n += 1;
    return n;
  }
}
