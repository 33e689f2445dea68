// In-memory shapes of what hangs off projects and work items: wiki pages and
// links, attachments, custom attributes and their values, swimlanes and
// due-date levels (types.ts re-exports them).
/** A wiki page: versioned like the work items (§9.10), history kind `wiki`. */
export interface WikiPage {
  id: number;
  project: number;
  slug: string;
  content: string;
  owner: number | null;
  last_modifier: number | null;
  created_date: string;
  modified_date: string;
  version: number;
  watchers: number[];
}

export interface WikiLink {
  id: number;
  project: number;
  title: string;
  href: string;
  order: number;
}

/** What attachments, custom attributes and history hang off. */
export type AttachableKind = 'userstory' | 'task' | 'issue' | 'epic' | 'wiki';
export type AttributeKind = Exclude<AttachableKind, 'wiki'>;

export interface Attachment {
  id: number;
  kind: AttachableKind;
  project: number;
  object_id: number;
  owner: number;
  name: string;
  size: number;
  description: string;
  is_deprecated: boolean;
  from_comment: boolean;
  created_date: string;
  modified_date: string;
  order: number;
  sha1: string;
  /** `attached_file`: "attachments/a/b/c/d/<hash>/<name>", also the path under /media/. */
  path: string;
  content_type: string;
}

export type AttributeType = 'text' | 'multiline' | 'richtext' | 'date' | 'url' | 'dropdown' | 'checkbox' | 'number';

export interface CustomAttribute {
  id: number;
  kind: AttributeKind;
  project: number;
  name: string;
  description: string;
  type: AttributeType;
  order: number;
  /** The options of a dropdown, else null. */
  extra: unknown;
  created_date: string;
  modified_date: string;
}

/** The values row of one object: OCC-versioned on its own (§7), a stale version never conflicts. */
export interface CustomValues {
  values: Record<string, unknown>;
  version: number;
}

export interface Swimlane {
  id: number;
  project: number;
  name: string;
  order: number;
}

/** One swimlane × story status cell (its WIP limit). */
export interface SwimlaneStatus {
  id: number;
  swimlane: number;
  status: number;
  wip_limit: number | null;
}

export type DueDateKind = 'userstory' | 'task' | 'issue';

export interface DueDate {
  id: number;
  kind: DueDateKind;
  project: number;
  name: string;
  order: number;
  by_default: boolean;
  days_to_due: number | null;
  color: string;
}
