// History of versioned objects (stories, tasks, issues, epics, wiki pages),
// kept the way taiga-back's take_snapshot does: each entry diffs the object
// against its previous snapshot. OCC reads the diff keys (§7); /history, the
// comment actions and the timeline are served from the same entries.
import { randomUUID } from 'node:crypto';

export type HistoryKind = 'userstory' | 'task' | 'issue' | 'epic' | 'wiki';

/** taiga-back's content-type names, as in an entry's `key` ("tasks.task:12"). */
export const CONTENT_TYPES: Record<HistoryKind, string> = {
  userstory: 'userstories.userstory', task: 'tasks.task', issue: 'issues.issue', epic: 'epics.epic', wiki: 'wiki.wikipage',
};

/** taiga-back's HistoryType: change 1, create 2, delete 3. */
export type HistoryType = 'change' | 'create' | 'delete';
export const HISTORY_TYPE_CODES: Record<HistoryType, number> = { change: 1, create: 2, delete: 3 };

/** The tracked fields of an object at one point in time (freeze.ts). */
export type Snapshot = Record<string, unknown>;

export interface CommentVersion {
  date: string;
  user: number | null;
  comment: string;
}

export interface HistoryEntry {
  /** A UUID string, as in taiga-back. */
  id: string;
  type: HistoryType;
  user: number | null;
  created_at: string;
  /** Changed fields: name → [old, new]. Empty on creation and for a comment alone. */
  diff: Diff;
  comment: string;
  /** Earlier texts of an edited comment, oldest first (`comment_versions`). */
  comment_versions: CommentVersion[];
  edit_comment_date: string | null;
  delete_comment_date: string | null;
  delete_comment_user: number | null;
  /** Only ordering fields changed; /history leaves such entries out by default. */
  is_hidden: boolean;
  /** The whole object, kept on creation and deletion entries only. */
  snapshot: Snapshot | null;
  /** Display names of the ids the diff mentions, frozen with the entry: `users`, `status`, … → id → name. */
  values: EntryValues;
}

export type EntryValues = Record<string, Record<string, string>>;
export type Diff = Record<string, [unknown, unknown]>;

/** An entry touching only these fields is hidden (taiga-back's _not_important_fields). */
const NOT_IMPORTANT: Partial<Record<HistoryKind, ReadonlySet<string>>> = {
  epic: new Set(['epics_order', 'user_stories']),
  userstory: new Set(['backlog_order', 'sprint_order', 'kanban_order']),
  task: new Set(['us_order', 'taskboard_order']),
};
/** Fields left out of diffs (_deprecated_fields): concurrent `assigned_to` edits of a story never conflict. */
const EXCLUDED: Partial<Record<HistoryKind, ReadonlySet<string>>> = { userstory: new Set(['assigned_to']) };

export interface RecordOptions {
  user: number | null;
  comment?: string;
  type?: HistoryType;
  date?: string;
  /** Names for the ids in the diff (history-values.ts). */
  values?: (diff: Diff) => EntryValues;
}

/** Told of every saved entry, new or changed by a comment action (taiga-back pushes each save to the timeline). */
export type EntryListener = (kind: HistoryKind, id: number, entry: HistoryEntry) => void;

const keyOf = (kind: HistoryKind, id: number) => `${kind}:${id}`;

export class HistoryLog {
  private entries = new Map<string, HistoryEntry[]>();
  private snapshots = new Map<string, Snapshot>();
  onSave: EntryListener | null = null;

  /** Oldest first. Entries outlive their object, as in taiga-back. */
  of(kind: HistoryKind, id: number): readonly HistoryEntry[] {
    return this.entries.get(keyOf(kind, id)) ?? [];
  }

  /**
   * take_snapshot: diffs `snapshot` against the last one. Returns null, and
   * stores nothing, for a change with neither a diff nor a comment.
   */
  record(kind: HistoryKind, id: number, snapshot: Snapshot, opts: RecordOptions): HistoryEntry | null {
    const key = keyOf(kind, id);
    const previous = this.snapshots.get(key);
    const type: HistoryType = opts.type ?? (previous ? 'change' : 'create');
    const comment = opts.comment ?? '';
    const diff = previous && type === 'change' ? diffSnapshots(previous, snapshot, EXCLUDED[kind]) : {};
    if (type === 'change' && !Object.keys(diff).length && !comment) return null;
    const changed = Object.keys(diff);
    const minor = NOT_IMPORTANT[kind];
    const entry: HistoryEntry = {
      id: randomUUID(), type, user: opts.user, created_at: opts.date ?? new Date().toISOString(), diff, comment,
      comment_versions: [], edit_comment_date: null, delete_comment_date: null, delete_comment_user: null,
      is_hidden: !comment && changed.length > 0 && !!minor && changed.every((k) => minor.has(k)),
      snapshot: type === 'change' ? null : snapshot, values: opts.values?.(diff) ?? { users: {} },
    };
    this.snapshots.set(key, snapshot);
    const list = this.entries.get(key);
    if (list) list.push(entry);
    else this.entries.set(key, [entry]);
    this.onSave?.(kind, id, entry);
    return entry;
  }

  /** Replaces the last snapshot without an entry: the sample data changed objects behind take_snapshot's back. */
  setSnapshot(kind: HistoryKind, id: number, snapshot: Snapshot): void {
    this.snapshots.set(keyOf(kind, id), snapshot);
  }

  find(kind: HistoryKind, id: number, entryId: string | undefined): HistoryEntry | undefined {
    return entryId === undefined ? undefined : this.of(kind, id).find((e) => e.id === entryId);
  }

  /** After a comment action changed `entry` in place. */
  saved(kind: HistoryKind, id: number, entry: HistoryEntry): void {
    this.onSave?.(kind, id, entry);
  }

  /** The fields changed by the last `count` entries, whatever their type (get_modified_fields). */
  changedKeys(kind: HistoryKind, id: number, count: number): Set<string> {
    const list = this.of(kind, id);
    const window = count > 0 ? list.slice(-count) : [];
    return new Set(window.flatMap((e) => Object.keys(e.diff)));
  }

  /** Comments that are not deleted (`total_comments`). */
  totalComments(kind: HistoryKind, id: number): number {
    return this.of(kind, id).filter((e) => e.comment && !e.delete_comment_date).length;
  }

  /** Promotion copies the source's comment entries to the new story. */
  copyComments(from: [HistoryKind, number], to: [HistoryKind, number]): void {
    const copies = this.of(...from)
      .filter((e) => e.comment)
      .map((e): HistoryEntry => ({ ...e, id: randomUUID(), snapshot: null, is_hidden: false, comment_versions: [...e.comment_versions] }));
    if (!copies.length) return;
    const key = keyOf(...to);
    this.entries.set(key, [...(this.entries.get(key) ?? []), ...copies].sort((a, b) => a.created_at.localeCompare(b.created_at)));
  }
}

function diffSnapshots(before: Snapshot, after: Snapshot, excluded?: ReadonlySet<string>): Diff {
  const diff: Diff = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (excluded?.has(key)) continue;
    const [a, b] = [before[key], after[key]];
    if (!same(a, b)) diff[key] = [a ?? null, b ?? null];
  }
  return diff;
}

/** Deep equality of snapshot values (JSON data); cheaper than comparing JSON texts at every seed. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
