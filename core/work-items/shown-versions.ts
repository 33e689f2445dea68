import { LRUCache } from 'lru-cache';
import type { ToolContext } from '../plugin/types.js';
import type { WorkItemKind } from './kind.js';

type Raw = Record<string, unknown>;

/**
 * What this server showed each caller of an item at each version, for the fields that board moves
 * change. Taiga's bulk moves (into a sprint, backlog and kanban order) change an item without
 * bumping its version (recorded: occ.json `us-bulk-milestone-setup` then
 * `us-patch-after-bulk-version-1`), so a version alone cannot tell that an agent's copy is stale.
 * Kept per caller, so that one agent's move does not hide it from another.
 */
export class ShownVersions {
  private readonly shown = new LRUCache<string, string>({ max: 20_000 });

  remember(ctx: ToolContext, kind: WorkItemKind, raw: Raw): void {
    if (kind.boardFields.length === 0 || typeof raw['version'] !== 'number') return;
    this.shown.set(key(ctx, kind, raw['id'], raw['version']), JSON.stringify(board(kind, raw)));
  }

  /** The board fields that differ from what was shown at `version`, or undefined (same, or never shown). */
  changes(ctx: ToolContext, kind: WorkItemKind, raw: Raw, version: number): Record<string, { was: unknown; now: unknown }> | undefined {
    const seen = this.shown.get(key(ctx, kind, raw['id'], version));
    if (seen === undefined) return undefined;
    const was = JSON.parse(seen) as Raw;
    const now = board(kind, raw);
    const changed = Object.fromEntries(kind.boardFields.filter((f) => JSON.stringify(was[f]) !== JSON.stringify(now[f])).map((f) => [f, { was: was[f], now: now[f] }]));
    return Object.keys(changed).length > 0 ? changed : undefined;
  }
}

const key = (ctx: ToolContext, kind: WorkItemKind, id: unknown, version: unknown): string =>
  `${ctx.session.apiUrl}|${ctx.session.userId}|${kind.endpoint}|${String(id)}|${String(version)}`;

const board = (kind: WorkItemKind, raw: Raw): Raw => Object.fromEntries(kind.boardFields.map((f) => [f, raw[f] ?? null]));

const memory = (ctx: ToolContext): ShownVersions => ctx.service<ShownVersions>('shownVersions');

export const rememberShown = (ctx: ToolContext, kind: WorkItemKind, raw: Raw): void => memory(ctx).remember(ctx, kind, raw);
export const boardChanges = (ctx: ToolContext, kind: WorkItemKind, raw: Raw, version: number) => memory(ctx).changes(ctx, kind, raw, version);
