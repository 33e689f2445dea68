import * as v from 'valibot';
import type { ChoiceKind, ProjectMetadata } from '../resolve/project-metadata.js';
import { quote, word } from '../render/untrusted.js';

type Raw = Record<string, unknown>;

export interface ProjectionContext {
  readonly meta: ProjectMetadata;
  readonly statusKind: ChoiceKind;
}

/**
 * One field of the lean output: its schema, how it is read from Taiga's 1-3 KB record, and its token
 * in the one-line text rendering. Both renderings are built from the same whitelist, so a client
 * that shows the model only `content` and one that shows only `structuredContent` see the same facts.
 * Every user-written string goes through `quote` (or `block`, for long text): see render/untrusted.ts.
 */
export interface OutputField {
  readonly schema: v.GenericSchema;
  read(raw: Raw, c: ProjectionContext): unknown;
  /** The value's token in the line; undefined keeps it out of the line (it is rendered as a block). */
  text?(value: never): string;
  /** Its cell in a page's table (table.ts), when not the plain number, word or list of words. */
  cell?(value: never): string;
  /** Long user text, rendered below the line in an untrusted block. */
  readonly block?: boolean;
}

const str = v.string();
const num = v.number();
const bool = v.boolean();
const strings = v.array(v.string());
const nums = v.array(v.number());

const username = (info: unknown): string | undefined => (info && typeof info === 'object' ? String((info as Raw)['username']) : undefined);
const nameOf = (list: Array<{ id: number; name: string }>, id: unknown): string | undefined => list.find((c) => c.id === id)?.name;
const at = (raw: Raw, key: string) => raw[key] ?? undefined;

export const outputs = {
  id: { schema: num, read: (r) => r['id'], text: (x: number) => `id=${x}` },
  ref: { schema: num, read: (r) => r['ref'], text: (x: number) => `#${x}`, cell: (x: number) => `#${x}` },
  subject: { schema: str, read: (r) => r['subject'], text: (x: string) => quote(x) },
  status: {
    schema: str,
    read: (r, c) => ((r['status_extra_info'] as Raw | null)?.['name'] as string | undefined) ?? nameOf(c.meta.choices[c.statusKind], r['status']),
    text: (x: string) => `status:${quote(x)}`,
  },
  closed: { schema: bool, read: (r) => r['is_closed'] === true, text: () => 'closed' },
  assigned_to: { schema: str, read: (r) => username(r['assigned_to_extra_info']), text: (x: string) => `@${word(x)}` },
  /** Story co-assignees other than `assigned_to`. */
  co_assignees: {
    schema: strings,
    read: (r, c) => ((r['assigned_users'] as number[] | undefined) ?? []).filter((id) => id !== r['assigned_to']).map((id) => c.meta.members.find((m) => m.id === id)?.username ?? `user ${id}`),
    text: (x: string[]) => x.map((u) => `+${word(u)}`).join(' '),
  },
  sprint: {
    schema: str,
    read: (r, c) => (r['milestone_name'] as string | null | undefined) ?? c.meta.sprints.find((s) => s.id === r['milestone'])?.name,
    text: (x: string) => `sprint:${quote(x)}`,
  },
  sprint_id: { schema: num, read: (r) => at(r, 'milestone') },
  total_points: { schema: num, read: (r) => at(r, 'total_points'), text: (x: number) => `pts:${x}` },
  priority: { schema: str, read: (r, c) => nameOf(c.meta.choices.priority, r['priority']), text: (x: string) => `priority:${quote(x)}` },
  severity: { schema: str, read: (r, c) => nameOf(c.meta.choices.severity, r['severity']), text: (x: string) => `severity:${quote(x)}` },
  type: { schema: str, read: (r, c) => nameOf(c.meta.choices.issue_type, r['type']), text: (x: string) => `type:${quote(x)}` },
  tags: {
    schema: strings,
    read: (r) => (Array.isArray(r['tags']) ? (r['tags'] as unknown[]).map((t) => String(Array.isArray(t) ? t[0] : t)) : undefined),
    text: (x: string[]) => `tags:[${x.map(quote).join(',')}]`,
  },
  epic_refs: {
    schema: nums,
    read: (r) => (Array.isArray(r['epics']) ? (r['epics'] as Raw[]).map((e) => e['ref']) : undefined),
    text: (x: number[]) => `epics:${x.map((n) => `#${n}`).join(',')}`,
    cell: (x: number[]) => x.map((n) => `#${n}`).join(' '),
  },
  epics: {
    schema: v.array(v.object({ id: num, ref: num, subject: str })),
    read: (r) => (Array.isArray(r['epics']) ? (r['epics'] as Raw[]).map((e) => ({ id: e['id'], ref: e['ref'], subject: e['subject'] })) : undefined),
    text: (x: Array<{ ref: number; subject: string }>) => `epics:${x.map((e) => `#${e.ref} ${quote(e.subject)}`).join(',')}`,
  },
  user_story_ref: { schema: num, read: (r) => (r['user_story_extra_info'] as Raw | null)?.['ref'], text: (x: number) => `story:#${x}`, cell: (x: number) => `#${x}` },
  user_story_id: { schema: num, read: (r) => at(r, 'user_story') },
  color: { schema: str, read: (r) => at(r, 'color'), text: (x: string) => `color:${word(x)}` },
  /** An epic's linked stories: how many, and how far done (0-1; Taiga sends null with none). */
  user_stories: {
    schema: v.object({ total: num, progress: v.optional(num) }),
    read: (r) => {
      const counts = r['user_stories_counts'] as { total?: number; progress?: number | null } | undefined;
      if (!counts || typeof counts.total !== 'number') return undefined;
      return { total: counts.total, ...(typeof counts.progress === 'number' && { progress: Math.round(counts.progress * 100) / 100 }) };
    },
    text: (x: { total: number; progress?: number }) => `stories:${x.total}${x.progress !== undefined ? ` done:${Math.round(x.progress * 100)}%` : ''}`,
    cell: (x: { total: number; progress?: number }) => `${x.total}${x.progress !== undefined ? ` done:${Math.round(x.progress * 100)}%` : ''}`,
  },
  iocaine: { schema: bool, read: (r) => r['is_iocaine'] === true, text: () => 'iocaine' },
  due_date: { schema: str, read: (r) => at(r, 'due_date'), text: (x: string) => `due:${x}` },
  blocked: { schema: bool, read: (r) => r['is_blocked'] === true, text: () => 'BLOCKED' },
  blocked_note: { schema: str, read: (r) => (r['is_blocked'] === true ? at(r, 'blocked_note') : undefined), text: (x: string) => `blocked_note:${quote(x)}` },
  client_requirement: { schema: bool, read: (r) => r['client_requirement'] === true, text: () => 'client_requirement' },
  team_requirement: { schema: bool, read: (r) => r['team_requirement'] === true, text: () => 'team_requirement' },
  owner: { schema: str, read: (r) => username(r['owner_extra_info']), text: (x: string) => `owner:@${word(x)}` },
  project: { schema: num, read: (r) => r['project'], text: (x: number) => `project:${x}` },
  created: { schema: str, read: (r) => at(r, 'created_date'), text: (x: string) => `created:${x}` },
  modified: { schema: str, read: (r) => at(r, 'modified_date'), text: (x: string) => `modified:${x}` },
  finished: { schema: str, read: (r) => r['finish_date'] ?? r['finished_date'] ?? undefined, text: (x: string) => `finished:${x}` },
  version: { schema: num, read: (r) => r['version'], text: (x: number) => `v${x}` },
  description: { schema: str, read: (r) => at(r, 'description'), block: true },
} satisfies Record<string, OutputField>;

export type OutputName = keyof typeof outputs;

/** Always present, so not optional in the output schema. */
export const REQUIRED_OUTPUTS: ReadonlySet<string> = new Set(['id', 'ref', 'subject', 'version']);
