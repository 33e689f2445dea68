// Shared lookups for detail routes.
import type { Ctx } from '../context.js';
import { fieldErrors, notAuthenticated, notFound } from '../http.js';
import { can } from '../permissions.js';
import type { Project } from '../types.js';

/** The numeric `:id`; a non-numeric one is a bare Http404. */
export function parseId(ctx: Ctx, name = 'id'): number {
  const raw = ctx.params[name] ?? '';
  if (!/^\d+$/.test(raw)) throw notFound('');
  return Number(raw);
}

/** A `project` pk in a body: "This field is required." / "Invalid pk …" / "Incorrect type…". */
export function pkError(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return 'This field is required.';
  if (typeof value === 'string' && !/^\d+$/.test(value)) return 'Incorrect type. Expected pk value, received str.';
  return null;
}

export function projectFromBody(ctx: Ctx, value: unknown, field = 'project'): Project {
  const err = pkError(value);
  if (err) throw fieldErrors({ [field]: [err] });
  const project = ctx.state.projects.get(Number(value));
  if (!project) throw fieldErrors({ [field]: [`Invalid pk '${String(value)}' - object does not exist.`] });
  return project;
}

/** get_object_or_error: a project or sprint the caller cannot see is 404 "" (401 anonymous). */
export function visibleOr404(ctx: Ctx, project: Project | undefined): Project {
  if (!project || !can(ctx, project, 'view_project')) throw ctx.user ? notFound('') : notAuthenticated();
  return project;
}
