// Fills project 1 of the emulator to a full page of each kind by copying its seeded items (their
// fields, sprints, points and epic links), so that a 30-item page has the seeded data's mix of
// tags, assignees and links rather than 16 thin made-up items.
import { request } from 'undici';

type Raw = Record<string, unknown>;

export interface Rest {
  get(path: string): Promise<{ text: string; data: unknown }>;
  post(path: string, body: unknown): Promise<Raw>;
}

export function rest(apiUrl: string, token: string): Rest {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    async get(path) {
      const res = await request(`${apiUrl}${path}`, { headers });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`GET ${path}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      return { text, data: JSON.parse(text) as unknown };
    },
    async post(path, body) {
      const res = await request(`${apiUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await res.body.text();
      if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`POST ${path}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      return JSON.parse(text) as Raw;
    },
  };
}

interface Copied {
  endpoint: string;
  fields: readonly string[];
  /** After the copy is made: the links Taiga keeps apart from the item. */
  links?(r: Rest, source: Raw, copy: Raw): Promise<void>;
}

const COMMON = ['subject', 'description', 'status', 'assigned_to', 'tags', 'is_blocked', 'blocked_note', 'due_date'];
const tagNames = (tags: unknown) => (Array.isArray(tags) ? tags.map((t) => (Array.isArray(t) ? t[0] : t)) : []);

export const COPIED: Record<string, Copied> = {
  userstories: {
    endpoint: '/userstories',
    fields: [...COMMON, 'milestone', 'points', 'client_requirement', 'team_requirement'],
    async links(r, source, copy) {
      for (const epic of (source['epics'] as Raw[] | null) ?? []) await r.post(`/epics/${String(epic['id'])}/related_userstories`, { epic: epic['id'], user_story: copy['id'] });
    },
  },
  tasks: { endpoint: '/tasks', fields: [...COMMON, 'user_story', 'milestone', 'is_iocaine'] },
  issues: { endpoint: '/issues', fields: [...COMMON, 'type', 'priority', 'severity', 'milestone'] },
  // Without the source's story links: copying them would pile a dozen epics onto each seeded story.
  epics: { endpoint: '/epics', fields: [...COMMON, 'color', 'client_requirement', 'team_requirement'] },
};

/** Copies seeded items of project 1 (round robin, from their detail records) until there are `size`. */
export async function fillPage(r: Rest, kind: keyof typeof COPIED, size: number): Promise<void> {
  const spec = COPIED[kind]!;
  const seeded = (await r.get(`${spec.endpoint}?project=1&page=1&page_size=100`)).data as Raw[];
  for (let i = seeded.length; i < size; i++) {
    const source = (await r.get(`${spec.endpoint}/${String(seeded[i % seeded.length]!['id'])}`)).data as Raw;
    const body: Raw = { project: 1 };
    for (const f of spec.fields) if (source[f] !== undefined && source[f] !== null) body[f] = f === 'tags' ? tagNames(source[f]) : source[f];
    const copy = await r.post(spec.endpoint, body);
    await spec.links?.(r, source, copy);
  }
}
