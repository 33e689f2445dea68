import { LRUCache } from 'lru-cache';
import type { TaigaSession } from '../sessions/taiga-session.js';

export interface Choice {
  id: number;
  name: string;
  slug?: string;
  is_closed?: boolean;
  value?: number | null;
}

export interface Member {
  id: number;
  username: string;
  full_name: string;
  role: number;
  role_name: string;
}

/** What name resolution needs of a project, from its detail (GET /projects/{id}). */
export interface ProjectMetadata {
  id: number;
  slug: string;
  name: string;
  choices: Record<ChoiceKind, Choice[]>;
  members: Member[];
  sprints: Array<{ id: number; name: string; slug: string; closed: boolean }>;
  defaults: { us_status: number | null; points: number | null };
}

export const CHOICE_SOURCES = {
  us_status: 'us_statuses',
  task_status: 'task_statuses',
  issue_status: 'issue_statuses',
  epic_status: 'epic_statuses',
  points: 'points',
  priority: 'priorities',
  severity: 'severities',
  issue_type: 'issue_types',
  role: 'roles',
} as const;
export type ChoiceKind = keyof typeof CHOICE_SOURCES;

/**
 * Project metadata per Taiga instance, user and project, for a short TTL.
 * Per user because what Taiga shows depends on who asks. Writes that change
 * metadata (sprints, members, the project itself) call `invalidate`.
 */
export class ProjectMetadataCache {
  private readonly cache: LRUCache<string, ProjectMetadata>;
  private readonly slugs: LRUCache<string, number>;

  constructor(ttlSeconds: number) {
    // ttlResolution 0: lru-cache's default (1 ms) starts a timer each time it reads its clock, once per call.
    this.cache = new LRUCache({ max: 2000, ttl: ttlSeconds * 1000, ttlResolution: 0 });
    this.slugs = new LRUCache({ max: 5000, ttl: ttlSeconds * 1000, ttlResolution: 0 });
  }

  async get(taiga: TaigaSession, userId: number, projectId: number): Promise<ProjectMetadata> {
    return this.cache.get(`${taiga.apiUrl}|${userId}|${projectId}`) ?? (await this.load(taiga, userId, projectId)).meta;
  }

  /** Reads the project detail afresh (one request), keeps its metadata, and returns both. */
  async load(taiga: TaigaSession, userId: number, projectId: number): Promise<{ raw: Record<string, unknown>; meta: ProjectMetadata }> {
    const raw = await taiga.get<Record<string, unknown>>(`/projects/${projectId}`);
    const meta = toMetadata(raw);
    this.cache.set(`${taiga.apiUrl}|${userId}|${projectId}`, meta);
    this.slugs.set(`${taiga.apiUrl}|${userId}|${meta.slug}`, meta.id);
    return { raw, meta };
  }

  async idForSlug(taiga: TaigaSession, userId: number, slug: string): Promise<number> {
    const key = `${taiga.apiUrl}|${userId}|${slug}`;
    const hit = this.slugs.get(key);
    if (hit !== undefined) return hit;
    const project = await taiga.get<{ id: number }>('/projects/by_slug', { slug });
    this.slugs.set(key, project.id);
    return project.id;
  }

  /** Forgets a project for every user: its sprints, members or statuses changed. */
  invalidate(projectId: number): void {
    for (const key of [...this.cache.keys()]) if (key.endsWith(`|${projectId}`)) this.cache.delete(key);
    for (const [key, id] of [...this.slugs.entries()]) if (id === projectId) this.slugs.delete(key);
  }
}

function toMetadata(p: Record<string, unknown>): ProjectMetadata {
  const list = (key: string) => (Array.isArray(p[key]) ? (p[key] as Record<string, unknown>[]) : []);
  const choices = Object.fromEntries(
    Object.entries(CHOICE_SOURCES).map(([kind, key]) => [
      kind,
      list(key).map((c) => ({
        id: c['id'] as number,
        name: String(c['name']),
        ...(typeof c['slug'] === 'string' && { slug: c['slug'] }),
        ...(typeof c['is_closed'] === 'boolean' && { is_closed: c['is_closed'] }),
        ...('value' in c && { value: c['value'] as number | null }),
      })),
    ]),
  ) as Record<ChoiceKind, Choice[]>;
  return {
    id: p['id'] as number,
    slug: String(p['slug']),
    name: String(p['name']),
    choices,
    members: list('members').map((m) => ({
      id: m['id'] as number,
      username: String(m['username']),
      full_name: String(m['full_name_display'] ?? m['full_name'] ?? ''),
      role: m['role'] as number,
      role_name: String(m['role_name'] ?? ''),
    })),
    sprints: list('milestones').map((m) => ({ id: m['id'] as number, name: String(m['name']), slug: String(m['slug']), closed: Boolean(m['closed']) })),
    defaults: { us_status: (p['default_us_status'] as number | null) ?? null, points: (p['default_points'] as number | null) ?? null },
  };
}
