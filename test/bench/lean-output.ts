// 4. Lean output: structuredContent of list_user_stories (100 stories) vs Taiga's raw JSON for them.
import { request } from 'undici';
import { startEmulator } from '../emulator/index.js';
import { CLI, login, ratio, serverEnv, spawnClient } from './util.js';

export interface LeanOutputResult {
  stories: number;
  raw_bytes: number;
  structured_bytes: number;
  text_bytes: number;
  ratio_structured_to_raw: number;
  ratio_text_to_raw: number;
  bytes_per_story_raw: number;
  bytes_per_story_structured: number;
}

const PAGE = 100;

async function getJson(url: string, headers: Record<string, string>): Promise<{ text: string; data: unknown }> {
  const res = await request(url, { headers });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  return { text, data: JSON.parse(text) };
}

export async function measureLeanOutput(): Promise<LeanOutputResult> {
  const emulator = await startEmulator();
  let spawned: Awaited<ReturnType<typeof spawnClient>> | undefined;
  try {
    const token = await login(emulator.apiUrl);
    const auth = { authorization: `Bearer ${token}` };
    const all = await getJson(`${emulator.apiUrl}/userstories?project=1`, { ...auth, 'x-disable-pagination': 'true' });
    const existing = (all.data as unknown[]).length;
    for (let i = existing; i < PAGE; i++) {
      const res = await request(`${emulator.apiUrl}/userstories`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          project: 1,
          subject: `Bench story ${i + 1}: as a user I want to filter the backlog by tag`,
          description: 'Created by the benchmark to fill a page of 100 stories.',
          tags: ['bench'],
        }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`creating a story: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
    }
    const raw = await getJson(`${emulator.apiUrl}/userstories?project=1&page=1&page_size=${PAGE}`, auth);
    const rawIds = (raw.data as { id: number }[]).map((s) => s.id);
    if (rawIds.length !== PAGE) throw new Error(`raw page has ${rawIds.length} stories, expected ${PAGE}`);

    spawned = await spawnClient(CLI, serverEnv(emulator.url));
    const result = await spawned.call('list_user_stories', { project_id: 1, page_size: PAGE });
    const structured = (result.structuredContent ?? {}) as { items?: { id: number }[] };
    const leanIds = (structured.items ?? []).map((s) => s.id);
    if (leanIds.length !== PAGE || leanIds.some((id, i) => id !== rawIds[i])) {
      throw new Error(`the tool returned ${leanIds.length} stories, not the same ${PAGE} as the raw page`);
    }
    const structuredBytes = Buffer.byteLength(JSON.stringify(result.structuredContent), 'utf8');
    const textBytes = result.content.reduce((n, c) => n + (c.type === 'text' ? Buffer.byteLength(c.text, 'utf8') : 0), 0);
    const rawBytes = Buffer.byteLength(raw.text, 'utf8');
    return {
      stories: PAGE,
      raw_bytes: rawBytes,
      structured_bytes: structuredBytes,
      text_bytes: textBytes,
      ratio_structured_to_raw: ratio(structuredBytes, rawBytes),
      ratio_text_to_raw: ratio(textBytes, rawBytes),
      bytes_per_story_raw: Math.round(rawBytes / PAGE),
      bytes_per_story_structured: Math.round(structuredBytes / PAGE),
    };
  } finally {
    await spawned?.close();
    await emulator.close();
  }
}
