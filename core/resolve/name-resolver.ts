import { TaigaMcpError } from '../errors.js';
import { withArticle } from '../render/english.js';
import { quote } from '../render/untrusted.js';
import type { SessionView } from '../sessions/types.js';
import type { TaigaSession } from '../sessions/taiga-session.js';
import type { ChoiceKind, ProjectMetadata, ProjectMetadataCache } from './project-metadata.js';

const MAX_LISTED = 50;
const CHOICE_LABELS: Record<ChoiceKind, string> = {
  us_status: 'user story status',
  task_status: 'task status',
  issue_status: 'issue status',
  epic_status: 'epic status',
  points: 'points value',
  priority: 'priority',
  severity: 'severity',
  issue_type: 'issue type',
  role: 'role',
};
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
    /** The call's audit target: the first project resolved is its project. */
    private readonly audit: { project?: number } = {},
  ) {}

  /** Projects read afresh during this call (one reload per project and call at most). */
  private readonly reloaded = new Set<number>();

  /** A project id, or a slug (a numeric string is an id). The first one resolved is the audit line's project. */
  async projectId(value: IdOrName, field = 'project_id'): Promise<number> {
    const id = asId(value) ?? (await this.slugToId(value, field));
    this.audit.project ??= id;
    return id;
  }

  private async slugToId(value: IdOrName, field: string): Promise<number> {
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

  /** The project detail as Taiga has it now, with its metadata (one request; the cache is refreshed). */
  projectDetail(projectId: number): Promise<{ raw: Record<string, unknown>; meta: ProjectMetadata }> {
    return this.cache.load(this.taiga, this.session.userId, projectId);
  }

  /** A status, points value, priority, severity, type or role of the project, by id, name or slug. */
  async choice(projectId: number, kind: ChoiceKind, value: IdOrName, field: string): Promise<number> {
    const { found, meta } = await this.find(projectId, (m) => matchByIdOrName(m.choices[kind], value, (c) => [c.name, c.slug]));
    if (found) return found.id;
    throw miss(field, value, `Not ${withArticle(CHOICE_LABELS[kind])} of this project.`, meta.choices[kind].map((c) => c.name));
  }

  async sprint(projectId: number, value: IdOrName, field = 'sprint'): Promise<number> {
    const { found, meta } = await this.find(projectId, (m) => matchByIdOrName(m.sprints, value, (s) => [s.name, s.slug]));
    if (found) return found.id;
    throw miss(field, value, 'Not a sprint of this project.', meta.sprints.map((s) => s.name));
  }

  /** A member of the project by user id, username, full name, or "me". */
  async user(projectId: number, value: IdOrName, field: string): Promise<number> {
    if (typeof value === 'string' && value.trim().toLowerCase() === 'me') return this.session.userId;
    const { found, meta } = await this.find(projectId, (m) => matchByIdOrName(m.members, value, (u) => [u.username, u.full_name]));
    if (found) return found.id;
    throw miss(field, value, 'Not a member of this project.', meta.members.map((m) => m.username));
  }

  /**
   * Looks a name up in the cached metadata; on a miss, reads the project again once before giving up:
   * a sprint or member added in Taiga a moment ago is found, and a bad name costs one request.
   */
  private async find<T>(projectId: number, lookup: (meta: ProjectMetadata) => T | undefined): Promise<{ found: T | undefined; meta: ProjectMetadata }> {
    const cached = await this.project(projectId);
    const found = lookup(cached);
    if (found !== undefined || this.reloaded.has(projectId)) return { found, meta: cached };
    this.reloaded.add(projectId);
    const meta = (await this.projectDetail(projectId)).meta;
    return { found: lookup(meta), meta };
  }

  invalidate(projectId: number): void {
    this.cache.invalidate(projectId);
  }
}

function asId(value: IdOrName): number | undefined {
  if (typeof value === 'number') return value;
  return /^\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

function matchByIdOrName<T extends { id: number }>(items: T[], value: IdOrName, names: (item: T) => Array<string | undefined>): T | undefined {
  const id = asId(value);
  if (id !== undefined) return items.find((i) => i.id === id);
  const wanted = String(value).trim().toLowerCase();
  return items.find((i) => names(i).some((n) => n !== undefined && n.toLowerCase() === wanted));
}

function miss(field: string, value: IdOrName, why: string, valid: string[]): TaigaMcpError {
  return new TaigaMcpError('INVALID_INPUT', {
    message: `${field}: ${quote(String(value).slice(0, 80))} — ${why}`,
    details: { fields: { [field]: why }, ...(valid.length > 0 && { valid_values: valid.slice(0, MAX_LISTED) }) },
  });
}
