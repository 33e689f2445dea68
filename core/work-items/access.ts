import { TaigaMcpError } from '../errors.js';
import type { ToolContext } from '../plugin/types.js';
import type { WorkItemKind } from './kind.js';
import { capitalised } from './kind.js';
import { boardChanges, rememberShown } from './shown-versions.js';

type Raw = Record<string, unknown>;

/** What names one item: enough of a kind to look an item up (a story linked from a task, an epic in a filter). */
export type ItemTarget = Pick<WorkItemKind, 'name' | 'label' | 'endpoint'>;

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
  if (id === undefined) throw badReference(target, field, `give a ${target.label} id (a number) or "#ref" with project_id`);
  return id;
}

/**
 * Loads the item an agent named. With a project given, the item must belong to it: an id of another
 * project's item fails here, before anything is written, and says where the item lives.
 */
export async function loadItem(ctx: ToolContext, target: ItemTarget, value: number | string, project: number | string | undefined, field = `${target.name}_id`): Promise<Raw> {
  const ref = asRef(value);
  let raw: Raw;
  if (ref !== undefined) {
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
  const home = raw['project_extra_info'] as Raw | undefined;
  const where = `project ${String(raw['project'])}${home?.['slug'] ? ` (${String(home['slug'])})` : ''}`;
  return new TaigaMcpError('INVALID_INPUT', {
    message: `${capitalised(target.label)} ${String(raw['id'])} is in ${where}, not in project ${asked}. Nothing was written.`,
    details: { fields: { project_id: `the ${target.label} is in another project` }, item_project: { id: raw['project'], ...(home?.['slug'] !== undefined && { slug: home['slug'] }) } },
    hint: `Use the ${target.label}'s own project, or its "#ref" within project ${asked}.`,
  });
}

export function versionConflict(target: ItemTarget, item: Raw, given: number, extra: { message?: string; details?: Raw } = {}): TaigaMcpError {
  const label = `${capitalised(target.label)} ${String(item['id'])} (#${String(item['ref'])})`;
  return new TaigaMcpError('VERSION_CONFLICT', {
    message: extra.message ?? `${label} is at version ${String(item['version'])}, not ${given}: it changed since you read it. Nothing was written.`,
    details: { id: item['id'], ref: item['ref'], your_version: given, current_version: item['version'], ...extra.details },
  });
}

/** A version the agent gave is strict: a different one, or a board move since it was shown, writes nothing. */
export function checkVersion(ctx: ToolContext, kind: WorkItemKind, item: Raw, given: number | undefined): void {
  if (given === undefined) return;
  if (item['version'] !== given) throw versionConflict(kind, item, given);
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
export async function writeItem(ctx: ToolContext, kind: WorkItemKind, target: WriteTarget, build: (item: Raw) => Promise<Raw>): Promise<Raw> {
  let item = await loadItem(ctx, kind, target.value, target.project);
  for (let attempt = 1; ; attempt += 1) {
    const body = await build(item);
    if (Object.keys(body).length === 0) throw new TaigaMcpError('INVALID_INPUT', { message: 'Nothing to change: give at least one field.' });
    const strict = target.version !== undefined && Object.keys(body).some((k) => k !== 'comment');
    if (strict) {
      item = await reread(ctx, kind, item);
      checkVersion(ctx, kind, item, target.version);
    }
    try {
      const saved = await ctx.taiga.patch<Raw>(`${kind.endpoint}/${String(item['id'])}`, { ...body, version: item['version'] });
      rememberShown(ctx, kind, saved);
      return saved;
    } catch (err) {
      if (!(err instanceof TaigaMcpError) || err.code !== 'VERSION_CONFLICT') throw err;
      const now = await reread(ctx, kind, item);
      if (strict || attempt >= 2) throw versionConflict(kind, now, target.version ?? (item['version'] as number));
      item = now;
    }
  }
}

export const reread = (ctx: ToolContext, kind: ItemTarget, item: Raw): Promise<Raw> => ctx.taiga.get<Raw>(`${kind.endpoint}/${String(item['id'])}`);

/** Taiga's DELETE has no version check (taiga-api.md §7): ours runs right before it. */
export async function deleteItem(ctx: ToolContext, kind: WorkItemKind, target: WriteTarget): Promise<Raw> {
  const item = await loadItem(ctx, kind, target.value, target.project);
  checkVersion(ctx, kind, item, target.version);
  await ctx.taiga.delete(`${kind.endpoint}/${String(item['id'])}`);
  return item;
}
