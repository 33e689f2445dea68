import { TaigaMcpError } from '../errors.js';
import type { ToolContext } from '../plugin/types.js';
import type { WorkItemKind } from './kind.js';
import { capitalised } from './kind.js';
import { withArticle } from '../render/english.js';
import { boardChanges, rememberShown } from './shown-versions.js';
import { quoteShort } from '../confirm/question.js';

type Raw = Record<string, unknown>;

/** What names one item: enough of a kind to look an item up (a story linked from a task, an epic in a filter). */
export interface ItemTarget extends Pick<WorkItemKind, 'name' | 'label' | 'endpoint'> {
  /**
   * How a string names an item, for kinds named by slug (wiki pages): then every string is a name,
   * "4" included, and only a number is an id. Default: a string of digits is an id, "#ref" a ref.
   */
  byName?(ctx: ToolContext, value: string, project: number | undefined, field: string): Promise<Raw>;
}

/** What the version rules need of a kind: its history type and the fields board moves change. */
export interface VersionedTarget extends ItemTarget, Pick<WorkItemKind, 'historyType' | 'boardFields'> {}

export const USER_STORY_TARGET: ItemTarget = { name: 'user_story', label: 'user story', endpoint: '/userstories' };

/** A number is an id; "#12" is a ref (brief §3a). */
export function asRef(value: number | string): number | undefined {
  return typeof value === 'string' && /^#\d{1,12}$/.test(value.trim()) ? Number(value.trim().slice(1)) : undefined;
}

function asId(value: number | string): number | undefined {
  if (typeof value === 'number') return value;
  return /^\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

function badReference(target: ItemTarget, field: string, why: string): TaigaMcpError {
  return new TaigaMcpError('INVALID_INPUT', { message: `${field}: ${why}`, details: { fields: { [field]: why } } });
}

/** The id an agent named (id, or "#ref" with a project), without loading the item when it is an id. */
export async function itemId(ctx: ToolContext, target: ItemTarget, value: number | string, project: number | string | undefined, field = `${target.name}_id`): Promise<number> {
  return asRef(value) === undefined ? requireId(target, value, field) : ((await loadItem(ctx, target, value, project, field))['id'] as number);
}

function requireId(target: ItemTarget, value: number | string, field: string): number {
  const id = asId(value);
  if (id === undefined) throw badReference(target, field, `give ${withArticle(target.label)} id (a number) or "#ref" with project_id`);
  return id;
}

/**
 * Loads the item an agent named. With a project given, the item must belong to it: an id of another
 * project's item fails here, before anything is written, and says where the item lives.
 */
export async function loadItem(ctx: ToolContext, target: ItemTarget, value: number | string, project: number | string | undefined, field = `${target.name}_id`): Promise<Raw> {
  const ref = asRef(value);
  let raw: Raw;
  // A kind named by slug (wiki pages): a string is always a slug, digits included; only a number is an id.
  if (target.byName && typeof value === 'string') {
    // Stryker disable next-line MethodExpression: every tool's IdString has trimmed the name already; kept for a plugin that passes its own text
    raw = await target.byName(ctx, String(value).trim(), project === undefined ? undefined : await ctx.resolve.projectId(project), field);
  } else if (ref !== undefined) {
    if (project === undefined) throw badReference(target, field, 'a "#ref" needs project_id (id or slug) too');
    const projectId = await ctx.resolve.projectId(project);
    try {
      raw = await ctx.taiga.get<Raw>(`${target.endpoint}/by_ref`, { ref, project: projectId });
    } catch (err) {
      if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') throw new TaigaMcpError('NOT_FOUND', { message: `No ${target.label} #${ref} in project ${projectId} (or it is not visible to you).`, details: { ref, project: projectId } });
      throw err;
    }
  } else {
    raw = await ctx.taiga.get<Raw>(`${target.endpoint}/${requireId(target, value, field)}`);
    if (project !== undefined) {
      const projectId = await ctx.resolve.projectId(project);
      if (raw['project'] !== projectId) throw wrongProject(target, raw, projectId);
    }
  }
  ctx.audit.project ??= raw['project'] as number;
  ctx.audit.object ??= `${target.name}:${String(raw['id'])}`;
  return raw;
}

function wrongProject(target: ItemTarget, raw: Raw, asked: number): TaigaMcpError {
  const home = (raw['project_extra_info'] ?? {}) as Raw;
  const where = `project ${String(raw['project'])}${home['slug'] ? ` (${String(home['slug'])})` : ''}`;
  return new TaigaMcpError('INVALID_INPUT', {
    message: `${capitalised(target.label)} ${String(raw['id'])} is in ${where}, not in project ${asked}. Nothing was written.`,
    details: { fields: { project_id: `the ${target.label} is in another project` }, item_project: { id: raw['project'], slug: home['slug'] } },
    hint: `Use the ${target.label}'s own project, or its "#ref" within project ${asked}.`,
  });
}

export function versionConflict(target: ItemTarget, item: Raw, given: number, extra: { message?: string; details?: Raw } = {}): TaigaMcpError {
  const label = describe(target, item);
  return new TaigaMcpError('VERSION_CONFLICT', {
    message: extra.message ?? `${label} is at version ${String(item['version'])}, not ${given}: it changed since you read it. Nothing was written.`,
    details: { id: item['id'], ref: item['ref'], your_version: given, current_version: item['version'], ...extra.details },
  });
}

/**
 * Which fields changed since version `given`, and by whom, from Taiga's history (newest first; one
 * entry per versioned write). Best effort: without history (no permission, an old Taiga) the conflict
 * still says the versions.
 */
export async function changesSince(ctx: ToolContext, kind: VersionedTarget, item: Raw, given: number): Promise<Raw> {
  const count = (item['version'] as number) - given;
  if (count <= 0) return {};
  try {
    const { items } = await ctx.taiga.page<Raw>(`/history/${kind.historyType}/${String(item['id'])}`, {}, { page: 1, pageSize: Math.min(count, 100) });
    const entries = items.slice(0, count);
    // `*_html` fields are Taiga's renderings of the text fields beside them: not news to an agent.
    const fields = [...new Set(entries.flatMap((e) => Object.keys((e['diff'] as Raw | null) ?? {})).filter((k) => !k.endsWith('_html')))];
    const users = [...new Set(entries.map((e) => (e['user'] as Raw | null)?.['username']).filter((u): u is string => typeof u === 'string'))];
    return { ...(fields.length > 0 && { changed_fields: fields }), ...(users.length > 0 && { changed_by: users }) };
  } catch {
    return {};
  }
}

/** A version the agent gave is strict: a different one, or a board move since it was shown, writes nothing. */
export async function checkVersion(ctx: ToolContext, kind: VersionedTarget, item: Raw, given: number | undefined): Promise<void> {
  if (given === undefined) return;
  if (item['version'] !== given) {
    const changes = await changesSince(ctx, kind, item, given);
    const what = changes['changed_fields'] ? ` (${(changes['changed_fields'] as string[]).join(', ')}${changes['changed_by'] ? ` by ${(changes['changed_by'] as string[]).join(', ')}` : ''})` : '';
    throw versionConflict(kind, item, given, {
      message: `${describe(kind, item)} is at version ${String(item['version'])}, not ${given}: it changed since you read it${what}. Nothing was written.`,
      details: changes,
    });
  }
  const moved = boardChanges(ctx, kind, item, given);
  if (moved) {
    throw versionConflict(kind, item, given, {
      message: `${capitalised(kind.label)} ${String(item['id'])} was moved on the board (${Object.keys(moved).join(', ')}) since you read version ${given}; board moves do not change Taiga's version. Nothing was written.`,
      details: { board_changes: moved },
    });
  }
}

export interface WriteTarget {
  value: number | string;
  project?: number | string | undefined;
  version?: number | undefined;
}

/**
 * Read, build, check, write: the body is built from the item as read (names resolved, which may
 * fetch project metadata); a given version is then checked against the item read again right
 * before the write, and sent with it. A comment alone never fails on version (Taiga takes a comment
 * with a stale version). Without a version, a conflict Taiga reports (someone wrote in between) is
 * retried once on a fresh read; the failed write was not applied, so retrying cannot double it.
 */
export async function writeItem(ctx: ToolContext, kind: VersionedTarget, target: WriteTarget, build: (item: Raw) => Promise<Raw>): Promise<Raw> {
  let item = await loadItem(ctx, kind, target.value, target.project);
  for (let attempt = 1; ; attempt += 1) {
    const body = await build(item);
    if (Object.keys(body).length === 0) throw new TaigaMcpError('INVALID_INPUT', { message: 'Nothing to change: give at least one field.' });
    const strict = target.version !== undefined && Object.keys(body).some((k) => k !== 'comment');
    if (strict) {
      item = await reread(ctx, kind, item);
      await checkVersion(ctx, kind, item, target.version);
    }
    try {
      const saved = await ctx.taiga.patch<Raw>(`${kind.endpoint}/${String(item['id'])}`, { ...body, version: item['version'] });
      rememberShown(ctx, kind, saved);
      return saved;
    } catch (err) {
      if (!(err instanceof TaigaMcpError) || err.code !== 'VERSION_CONFLICT') throw err;
      const now = await reread(ctx, kind, item);
      if (strict || attempt >= 2) {
        const given = target.version ?? (item['version'] as number);
        throw versionConflict(kind, now, given, { details: await changesSince(ctx, kind, now, given) });
      }
      item = now;
    }
  }
}

export const reread = (ctx: ToolContext, kind: ItemTarget, item: Raw): Promise<Raw> => ctx.taiga.get<Raw>(`${kind.endpoint}/${String(item['id'])}`);

/**
 * Taiga's DELETE has no version check (taiga-api.md §7): ours runs right before it. The person is
 * asked about the item as read (`also`: what goes with it), and the id and version they saw are
 * the ones deleted: a confirmed call that finds another version deletes nothing.
 */
export async function deleteItem(ctx: ToolContext, kind: VersionedTarget, target: WriteTarget, also?: string): Promise<Raw> {
  const item = await loadItem(ctx, kind, target.value, target.project);
  await checkVersion(ctx, kind, item, target.version);
  const message = async (): Promise<string> => `Delete ${kind.label} ${itemLabel(item)} in ${(await ctx.resolve.project(item['project'] as number)).slug}${also ? `, with ${also}` : ''}?`;
  // Stryker disable next-line StringLiteral: the id is fixed by the arguments (Taiga never reuses a ref); the version is what can change
  await ctx.confirm({ message, version: [item['id'], item['version']] });
  await ctx.taiga.delete(`${kind.endpoint}/${String(item['id'])}`);
  return item;
}

/** `#12 "Login page"` (a work item), or `"home"` (a wiki page): how a question names an item. */
export function itemLabel(item: Raw): string {
  if (item['ref'] === undefined) return quoteShort(String(item['slug'] ?? item['id']));
  return `#${String(item['ref'])}${typeof item['subject'] === 'string' ? ` ${quoteShort(item['subject'])}` : ''}`;
}

/** "Task 12 (#34)", or "Wiki page 5 (home)" for an item named by slug. */
function describe(target: ItemTarget, item: Raw): string {
  const name = item['ref'] !== undefined ? `#${String(item['ref'])}` : item['slug'] !== undefined ? String(item['slug']) : undefined;
  return `${capitalised(target.label)} ${String(item['id'])}${name ? ` (${name})` : ''}`;
}
