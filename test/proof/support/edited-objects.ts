import assert from 'node:assert/strict';
import type { Emulator, HistoryKind } from '../../emulator/index.js';

/** One object that twenty clients edit at once, and the one text field they all change. */
export interface Edited {
  name: string;
  history: HistoryKind;
  id: number;
  path: string;
  get: { tool: string; args: Record<string, unknown> };
  update(text: string, version?: number): { tool: string; args: Record<string, unknown> };
  field: 'description' | 'content';
}

export const EDITED: Edited[] = [
  {
    name: 'user story', history: 'userstory', id: 1, path: '/api/v1/userstories/1', field: 'description',
    get: { tool: 'get_user_story', args: { user_story_id: 1 } },
    update: (description, version) => ({ tool: 'update_user_story', args: { user_story_id: 1, description, ...(version !== undefined && { version }) } }),
  },
  {
    name: 'task', history: 'task', id: 1, path: '/api/v1/tasks/1', field: 'description',
    get: { tool: 'get_task', args: { task_id: 1 } },
    update: (description, version) => ({ tool: 'update_task', args: { task_id: 1, description, ...(version !== undefined && { version }) } }),
  },
  {
    name: 'wiki page', history: 'wiki', id: 1, path: '/api/v1/wiki/1', field: 'content',
    get: { tool: 'get_wiki_page', args: { wiki_page_id: 1 } },
    update: (content, version) => ({ tool: 'update_wiki_page', args: { wiki_page_id: 1, content, ...(version !== undefined && { version }) } }),
  },
];

/** A call the server answered with success: the text it wrote and the version it says it saved. */
export interface Success {
  text: string;
  saved: number;
}

/** Where the object stood before the clients started: its version and its history so far. */
export interface Start {
  version: number;
  entries: number;
  text: string;
}

/**
 * Zero lost updates, read from Taiga's side: the writes since `start` form one chain in the
 * history (each from the text the one before left), one entry per success and no other, each at
 * the version its success reported; and every write Taiga accepted carried the version current
 * when it arrived, so none was based on a stale read.
 */
export function assertNoLostUpdate(emulator: Emulator, object: Edited, start: Start, successes: Success[]): void {
  const entries = emulator.history(object.history, object.id).slice(start.entries);
  const changes = entries.map((e) => e.diff[object.field] as [string, string] | undefined);
  assert.ok(changes.every((c) => c !== undefined), `${object.name}: every new history entry changes ${object.field}`);
  changes.forEach(([from], i) => assert.equal(from, i === 0 ? start.text : changes[i - 1]![1], `${object.name}: entry ${i} starts from what entry ${i - 1} left`));
  assert.equal(entries.length, successes.length, `${object.name}: one history entry per success`);
  for (const s of successes) {
    const at = s.saved - start.version - 1;
    assert.equal(changes[at]?.[1], s.text, `${object.name}: the success that saved version ${s.saved} is that entry of the history`);
  }
  // Writes of earlier rounds carried lower versions: those at or above the start are this round's.
  const accepted = emulator.requests
    .filter((r) => r.method === 'PATCH' && r.path === object.path && r.status === 200)
    .map((r) => (r.body as { version: number }).version)
    .filter((v) => v >= start.version);
  assert.deepEqual(accepted.sort((a, b) => a - b), successes.map((_, i) => start.version + i), `${object.name}: each accepted write carried the version current when it arrived`);
}
