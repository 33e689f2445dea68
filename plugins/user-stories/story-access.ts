import * as v from 'valibot';
import { TaigaMcpError } from '../../core/errors.js';
import type { ToolContext } from '../../core/plugin/types.js';
import { DateString, Description, IdOrName, NullableIdOrName, NullableUserRef, ProjectRef, Subject, Tags, Version } from '../../core/schemas.js';

type Raw = Record<string, unknown>;

/** Accepted wherever a story is named: its id, or "#ref" together with project_id. */
export const StoryRef = IdOrName('User story id, or "#ref" with project_id.');

/** The settable fields, shared by create, update and bulk tools. */
export const StoryWriteEntries = {
  subject: v.optional(Subject),
  description: v.optional(Description),
  status: v.optional(IdOrName('Status name or id.')),
  assigned_to: v.optional(NullableUserRef),
  sprint: v.optional(NullableIdOrName('Sprint name or id; null = backlog.')),
  points: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.maxLength(100)), IdOrName('Points value name, e.g. "3" or "?".')),
      v.maxEntries(20),
      v.description('Points per role name, e.g. {"Back": "3", "Front": "1/2"}.'),
    ),
  ),
  tags: v.optional(Tags),
  due_date: v.optional(v.nullable(DateString)),
  is_blocked: v.optional(v.boolean()),
  blocked_note: v.optional(v.pipe(v.string(), v.maxLength(5000))),
  client_requirement: v.optional(v.boolean()),
  team_requirement: v.optional(v.boolean()),
};
export type StoryWrite = { [K in keyof typeof StoryWriteEntries]?: v.InferOutput<(typeof StoryWriteEntries)[K]> };

export const StoryTarget = { user_story_id: StoryRef, project_id: v.optional(ProjectRef), version: v.optional(Version) };

export async function loadStory(ctx: ToolContext, ref: number | string, project: number | string | undefined): Promise<Raw> {
  const id = await ctx.resolve.storyId(ref, project);
  return ctx.taiga.get<Raw>(`/userstories/${id}`);
}

/** A `version` given by the agent is strict: a stale one writes nothing. */
export function checkVersion(story: Raw, given: number | undefined): number {
  const current = story['version'] as number;
  if (given !== undefined && given !== current) throw versionConflict(story['id'] as number, given, current);
  return given ?? current;
}

export function versionConflict(id: number, given: number, current: number): TaigaMcpError {
  return new TaigaMcpError('VERSION_CONFLICT', {
    message: `User story ${id} is at version ${current}, not ${given}: it changed since you read it. Nothing was written.`,
    details: { id, your_version: given, current_version: current },
  });
}

/** Names → ids for the fields that reference project metadata. */
export async function toTaigaBody(ctx: ToolContext, projectId: number, input: StoryWrite): Promise<Raw> {
  const body: Raw = {};
  for (const key of ['subject', 'description', 'tags', 'due_date', 'is_blocked', 'blocked_note', 'client_requirement', 'team_requirement'] as const) {
    if (input[key] !== undefined) body[key] = input[key];
  }
  if (input.status !== undefined) body['status'] = await ctx.resolve.choice(projectId, 'us_status', input.status, 'status');
  if (input.assigned_to !== undefined) {
    const user = input.assigned_to === null ? null : await ctx.resolve.user(projectId, input.assigned_to, 'assigned_to');
    body['assigned_to'] = user;
    if (user === null) body['assigned_users'] = [];
  }
  if (input.sprint !== undefined) body['milestone'] = input.sprint === null ? null : await ctx.resolve.sprint(projectId, input.sprint);
  if (input.points !== undefined) {
    const points: Record<string, number> = {};
    for (const [role, value] of Object.entries(input.points)) {
      points[String(await ctx.resolve.choice(projectId, 'role', role, `points.${role}`))] = await pointsId(ctx, projectId, value, `points.${role}`);
    }
    body['points'] = points;
  }
  return body;
}

/**
 * PATCH with optimistic concurrency: the version sent is the one checked; if Taiga reports
 * a conflict (someone wrote in between), the error carries the version it has now.
 */
export async function patchStory(ctx: ToolContext, story: Raw, body: Raw, version: number): Promise<Raw> {
  const id = story['id'] as number;
  try {
    return await ctx.taiga.patch<Raw>(`/userstories/${id}`, { ...body, version });
  } catch (err) {
    if (err instanceof TaigaMcpError && err.code === 'VERSION_CONFLICT') {
      const now = await ctx.taiga.get<Raw>(`/userstories/${id}`);
      throw versionConflict(id, version, now['version'] as number);
    }
    throw err;
  }
}

export function requireChange(body: Raw): void {
  if (Object.keys(body).length === 0) throw new TaigaMcpError('INVALID_INPUT', { message: 'Nothing to change: give at least one field.' });
}

/** Points are named by their label ("3", "1/2", "?"): an agent's 3 means three points, never the id 3. */
async function pointsId(ctx: ToolContext, projectId: number, value: number | string, field: string): Promise<number> {
  const options = (await ctx.resolve.project(projectId)).choices.points;
  const found = options.find((p) => p.name === String(value).trim() || (p.value !== null && p.value !== undefined && p.value === Number(value)));
  if (found) return found.id;
  throw new TaigaMcpError('INVALID_INPUT', {
    message: `${field}: ${JSON.stringify(String(value).slice(0, 20))} is not a points value of this project.`,
    details: { fields: { [field]: 'not a points value' }, valid_values: options.map((p) => p.name) },
  });
}

/**
 * Loads the story, builds the body (name resolution may take a metadata fetch), then, when the
 * agent gave a version, reads the story once more so that the check is made right before
 * the write: a stale version writes nothing.
 */
export async function prepareWrite(
  ctx: ToolContext,
  target: { user_story_id: number | string; project_id?: number | string | undefined; version?: number | undefined },
  buildBody: (projectId: number) => Promise<Raw>,
): Promise<{ story: Raw; body: Raw; version: number }> {
  let story = await loadStory(ctx, target.user_story_id, target.project_id);
  const body = await buildBody(story['project'] as number);
  if (target.version !== undefined) story = await ctx.taiga.get<Raw>(`/userstories/${story['id'] as number}`);
  return { story, body, version: checkVersion(story, target.version) };
}
