// 4. Lean output, per tool kind: the text the model reads and structuredContent, each against the
// bytes Taiga sends for the same facts (the GETs an agent calling Taiga itself would make).
// Lists are full 30-item pages where the project has that many (see fill.ts).
import { startEmulator } from '../emulator/index.js';
import { fillPage, rest, type Rest } from './fill.js';
import { CLI, login, ratio, serverEnv, spawnClient } from './util.js';

export const PAGE = 30;

export interface LeanRow {
  tool: string;
  items: number;
  raw_bytes: number;
  text_bytes: number;
  structured_bytes: number;
  ratio_text: number;
  ratio_structured: number;
  /** Text and structuredContent together: what the budget (≤ 0.15× for a 30-item page) counts. */
  ratio_both: number;
  /**
   * The floor of ratio_both: the values alone (facts_bytes: no key, quote or delimiter), said once
   * in each rendering. No encoding that states every fact twice comes under it.
   */
  ratio_floor: number;
  facts_bytes: number;
}
export interface LeanOutputResult {
  page: number;
  rows: LeanRow[];
}

interface Case {
  tool: string;
  args: Record<string, unknown>;
  /** Taiga GETs carrying the same facts. */
  raw: string[];
}

type Raw = Record<string, unknown>;
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const firstId = async (r: Rest, path: string): Promise<number> => ((await r.get(path)).data as Raw[])[0]!['id'] as number;

async function cases(r: Rest): Promise<Case[]> {
  const out: Case[] = [];
  const page = `project=1&page=1&page_size=${PAGE}`;
  for (const [plural, name, endpoint] of [['user_stories', 'user_story', '/userstories'], ['tasks', 'task', '/tasks'], ['issues', 'issue', '/issues'], ['epics', 'epic', '/epics']] as const) {
    out.push({ tool: `list_${plural}`, args: { project_id: 1, page_size: PAGE }, raw: [`${endpoint}?${page}`] });
    const id = await firstId(r, `${endpoint}?${page}`);
    out.push({ tool: `get_${name}`, args: { [`${name}_id`]: id }, raw: [`${endpoint}/${id}`] });
  }
  out.push({ tool: 'list_sprints', args: { project_id: 1, state: 'all', page_size: PAGE }, raw: [`/milestones?${page}`] });
  const sprint = await firstId(r, `/milestones?${page}`);
  out.push({ tool: 'get_sprint', args: { sprint_id: sprint }, raw: [`/milestones/${sprint}`, `/milestones/${sprint}/stats`] });
  out.push({ tool: 'list_wiki_pages', args: { project_id: 1, page_size: PAGE }, raw: [`/wiki?${page}`, '/wiki-links?project=1'] });
  const wiki = await firstId(r, `/wiki?${page}`);
  out.push({ tool: 'get_wiki_page', args: { wiki_page_id: wiki }, raw: [`/wiki/${wiki}`] });
  const me = ((await r.get('/users/me')).data as Raw)['id'] as number;
  out.push({ tool: 'list_projects', args: { page_size: PAGE }, raw: [`/projects?member=${me}&order_by=user_order&page=1&page_size=${PAGE}`] });
  out.push({ tool: 'get_project', args: { project_id: 1 }, raw: ['/projects/1'] });
  return out;
}

/** Bytes of every leaf value of an answer (a list's words joined by spaces, a flag as one byte). */
function factBytes(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'string' || typeof value === 'number') return bytes(String(value));
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + factBytes(v), Math.max(0, value.length - 1));
  return Object.values(value as Raw).reduce<number>((n, v) => n + factBytes(v), 0);
}

const itemsOf = (structured: unknown): number => {
  const s = (structured ?? {}) as Raw;
  for (const key of ['items', 'pages', 'projects']) if (Array.isArray(s[key])) return (s[key] as unknown[]).length;
  return 1;
};

export async function measureLeanOutput(): Promise<LeanOutputResult> {
  const emulator = await startEmulator();
  let spawned: Awaited<ReturnType<typeof spawnClient>> | undefined;
  try {
    const r = rest(emulator.apiUrl, await login(emulator.apiUrl));
    for (const kind of ['userstories', 'tasks', 'issues', 'epics'] as const) await fillPage(r, kind, PAGE);
    spawned = await spawnClient(CLI, serverEnv(emulator.url, { TAIGA_TOOLSETS: 'all' }));
    const rows: LeanRow[] = [];
    for (const c of await cases(r)) {
      const result = await spawned.call(c.tool, c.args);
      let rawBytes = 0;
      for (const path of c.raw) rawBytes += bytes((await r.get(path)).text);
      const text = result.content.reduce((n, block) => n + (block.type === 'text' ? bytes(block.text) : 0), 0);
      const structured = bytes(JSON.stringify(result.structuredContent ?? {}));
      const facts = factBytes(result.structuredContent);
      rows.push({ tool: c.tool, items: itemsOf(result.structuredContent), raw_bytes: rawBytes, text_bytes: text, structured_bytes: structured, ratio_text: ratio(text, rawBytes, 3), ratio_structured: ratio(structured, rawBytes, 3), ratio_both: ratio(text + structured, rawBytes, 3), ratio_floor: ratio(2 * facts, rawBytes, 3), facts_bytes: facts });
    }
    const stories = rows.find((row) => row.tool === 'list_user_stories');
    if (stories?.items !== PAGE) throw new Error(`list_user_stories returned ${stories?.items} stories, not a page of ${PAGE}`);
    return { page: PAGE, rows };
  } finally {
    await spawned?.close();
    await emulator.close();
  }
}
