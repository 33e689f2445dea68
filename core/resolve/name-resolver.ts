import { TaigaMcpError } from '../errors.js';
import type { SessionView } from '../sessions/types.js';
import type { TaigaSession } from '../sessions/taiga-session.js';
import type { ChoiceKind, ProjectMetadata, ProjectMetadataCache } from './project-metadata.js';

const MAX_LISTED = 50;
export type IdOrName = number | string;

/**
 * Turns what an agent knows (slug, #ref, status name, username, "me") into Taiga ids,
 * from cached project metadata. A miss is an INVALID_INPUT that lists the valid values.
 */
export class NameResolver {
  constructor(
    private readonly taiga: TaigaSession,
    private readonly session: SessionView,
    private readonly cache: ProjectMetadataCache,
  ) {}

  /** A project id, or a slug (a numeric string is an id). */
  async projectId(value: IdOrName, field = 'project_id'): Promise<number> {
    const id = asId(value);
    if (id !== undefined) return id;
    try {
      return await this.cache.idForSlug(this.taiga, this.session.userId, String(value).trim());
    } catch (err) {
      if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') throw miss(field, value, 'No visible project has this slug; call list_projects.', []);
      throw err;
    }
  }

  project(projectId: number): Promise<ProjectMetadata> {
    return this.cache.get(this.taiga, this.session.userId, projectId);
  }

  /** A status, points value, priority, severity, type or role of the project, by id, name or slug. */
  async choice(projectId: number, kind: ChoiceKind, value: IdOrName, field: string): Promise<number> {
    const options = (await this.project(projectId)).choices[kind];
    const found = matchByIdOrName(options, value, (c) => [c.name, c.slug]);
    if (found) return found.id;
    throw miss(field, value, `Not a ${kind.replace('_', ' ')} of this project.`, options.map((c) => c.name));
  }

  async sprint(projectId: number, value: IdOrName, field = 'sprint'): Promise<number> {
    const sprints = (await this.project(projectId)).sprints;
    const found = matchByIdOrName(sprints, value, (s) => [s.name, s.slug]);
    if (found) return found.id;
    throw miss(field, value, 'Not a sprint of this project.', sprints.map((s) => s.name));
  }

  /** A member of the project by user id, username, full name, or "me". */
  async user(projectId: number, value: IdOrName, field: string): Promise<number> {
    if (typeof value === 'string' && value.trim().toLowerCase() === 'me') return this.session.userId;
    const members = (await this.project(projectId)).members;
    const found = matchByIdOrName(members, value, (m) => [m.username, m.full_name]);
    if (found) return found.id;
    throw miss(field, value, 'Not a member of this project.', members.map((m) => m.username));
  }

  /** A user story id, or its "#ref" within a project. */
  async storyId(value: IdOrName, project: IdOrName | undefined, field = 'user_story_id'): Promise<number> {
    const ref = asRef(value);
    if (ref === undefined) {
      const id = asId(value);
      if (id !== undefined) return id;
      throw miss(field, value, 'Give a user story id (number) or "#ref" with project_id.', []);
    }
    if (project === undefined) throw miss(field, value, 'A "#ref" needs project_id (id or slug) too.', []);
    const projectId = await this.projectId(project);
    try {
      return (await this.taiga.get<{ id: number }>('/userstories/by_ref', { ref, project: projectId })).id;
    } catch (err) {
      if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') throw new TaigaMcpError('NOT_FOUND', { message: `No user story #${ref} in project ${projectId}.` });
      throw err;
    }
  }

  invalidate(projectId: number): void {
    this.cache.invalidate(projectId);
  }
}

function asId(value: IdOrName): number | undefined {
  if (typeof value === 'number') return value;
  return /^\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

function asRef(value: IdOrName): number | undefined {
  return typeof value === 'string' && /^#\d{1,12}$/.test(value.trim()) ? Number(value.trim().slice(1)) : undefined;
}

function matchByIdOrName<T extends { id: number }>(items: T[], value: IdOrName, names: (item: T) => Array<string | undefined>): T | undefined {
  const id = asId(value);
  if (id !== undefined) return items.find((i) => i.id === id);
  const wanted = String(value).trim().toLowerCase();
  return items.find((i) => names(i).some((n) => n !== undefined && n.toLowerCase() === wanted));
}

function miss(field: string, value: IdOrName, why: string, valid: string[]): TaigaMcpError {
  return new TaigaMcpError('INVALID_INPUT', {
    message: `${field}: ${JSON.stringify(String(value).slice(0, 80))} — ${why}`,
    details: { fields: { [field]: why }, ...(valid.length > 0 && { valid_values: valid.slice(0, MAX_LISTED) }) },
  });
}
