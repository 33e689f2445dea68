// Validation and normalisation of user story input fields (create and update).
import type { Ctx } from '../context.js';
import { fieldErrors, permissionDenied, rawError } from '../http.js';
import type { Project, UserStory } from '../types.js';

const HEX = /^#([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$/;

/** Python-style truthiness of a form/JSON boolean ("maybe" → true). */
export function toBool(v: unknown): boolean {
  if (typeof v === 'string') return !['false', 'False', '0', ''].includes(v);
  return Boolean(v);
}

/** A choice pk of the right kind, or a field error. */
export function choicePk(ctx: Ctx, kind: 'us_status', field: string, value: unknown): number {
  if (typeof value === 'string' && !/^\d+$/.test(value)) throw fieldErrors({ [field]: ['Incorrect type. Expected pk value, received str.'] });
  const id = Number(value);
  if (!ctx.state.choice(kind, id)) throw fieldErrors({ [field]: [`Invalid pk '${String(value)}' - object does not exist.`] });
  return id;
}

/** Parsed tag input: [lower-cased name, color or null], de-duplicated; or the field error. */
export function parseTags(raw: unknown): [string, string | null][] | string {
  if (!Array.isArray(raw)) return [];
  const out: [string, string | null][] = [];
  for (const item of raw) {
    const [name, color] = Array.isArray(item) ? [String(item[0]), item[1] as unknown] : [String(item), null];
    if (color !== null && color !== undefined && !(typeof color === 'string' && HEX.test(color))) {
      const py = Array.isArray(item) ? `[${item.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')}]` : String(item);
      return `Invalid tag '${py}'. The color is not a valid HEX color or null.`;
    }
    const tag = name.toLowerCase();
    if (!out.some(([t]) => t === tag)) out.push([tag, typeof color === 'string' ? color : null]);
  }
  return out;
}

/** Tag names; a given color, or a tag new to the project, goes into its tags_colors. */
export function applyTags(project: Project, tags: [string, string | null][]): string[] {
  for (const [tag, color] of tags) {
    if (color !== null || !(tag in project.tags_colors)) project.tags_colors[tag] = color ?? project.tags_colors[tag] ?? null;
  }
  return tags.map(([t]) => t);
}

/** Tags: names lower-cased and de-duplicated; colors added to the project. */
export function normaliseTags(project: Project, raw: unknown): string[] {
  const parsed = parseTags(raw);
  if (typeof parsed === 'string') throw fieldErrors({ tags: [parsed] });
  return applyTags(project, parsed);
}

export function validatePoints(ctx: Ctx, project: Project, raw: unknown): Record<string, number> {
  const points: Record<string, number> = {};
  if (!raw || typeof raw !== 'object') return points;
  for (const [roleId, pointsId] of Object.entries(raw as Record<string, unknown>)) {
    const role = ctx.state.roles.get(Number(roleId));
    if (!role || role.project !== project.id) throw rawError(400, { points: `Invalid role id '${roleId}'` });
    const pts = ctx.state.choice('points', Number(pointsId));
    if (!pts || pts.project !== project.id) throw rawError(400, { points: `Invalid points id '${String(pointsId)}'` });
    points[roleId] = Number(pointsId);
  }
  return points;
}

export function validateMember(ctx: Ctx, project: Project, field: string, userId: unknown): number | null {
  if (userId === null || userId === undefined) return null;
  if (!ctx.state.membership(project.id, Number(userId))) throw fieldErrors({ [field]: ['The user must be a project member.'] });
  return Number(userId);
}

export function validateDueDate(raw: unknown): string | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (typeof raw !== 'string' || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw fieldErrors({ due_date: ['Date has wrong format. Use one of these formats instead: YYYY[-MM[-DD]]'] });
  }
  return raw;
}

/** Cross-project status/sprint: 403 for stories (README #8). */
export function checkSameProject(ctx: Ctx, project: Project, status: number | undefined, milestone: number | null | undefined): void {
  if (milestone !== undefined && milestone !== null && ctx.state.milestones.get(milestone)?.project !== project.id) {
    throw permissionDenied("You don't have permissions to set this sprint to this user story.");
  }
  if (status !== undefined && ctx.state.choice('us_status', status)?.project !== project.id) {
    throw permissionDenied("You don't have permissions to set this status to this user story.");
  }
}

/** Applies the writable simple fields present in `body` to `story`. */
export function applySimpleFields(story: UserStory, body: Record<string, unknown>): void {
  for (const key of ['subject', 'description', 'blocked_note', 'due_date_reason'] as const) {
    if (key in body) story[key] = String(body[key] ?? '');
  }
  for (const key of ['client_requirement', 'team_requirement', 'is_blocked'] as const) {
    if (key in body) story[key] = toBool(body[key]);
  }
  for (const key of ['backlog_order', 'sprint_order', 'kanban_order'] as const) {
    if (key in body && body[key] !== null) story[key] = Number(body[key]);
  }
  if ('external_reference' in body) story.external_reference = (body['external_reference'] as unknown[] | null) ?? null;
  if ('swimlane' in body) story.swimlane = body['swimlane'] === null ? null : Number(body['swimlane']);
}
