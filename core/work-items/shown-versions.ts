import { LRUCache } from 'lru-cache';
import type { ToolContext } from '../plugin/types.js';
import type { WorkItemKind } from './kind.js';

/** What the memory needs of a kind. */
type Board = Pick<WorkItemKind, 'endpoint' | 'boardFields'>;

type Raw = Record<string, unknown>;
interface Shown { version: number; board: Raw }

/**
 * What this server last showed each caller of an item, for the fields that board moves change.
 * Taiga's bulk moves (into a sprint, backlog and kanban order) change an item without bumping its
 * version (recorded: occ.json `us-bulk-milestone-setup` then `us-patch-after-bulk-version-1`), so a
 * version alone cannot tell that an agent's copy is stale. Kept per caller, so that one agent's move
 * does not hide it from another; a caller's own move (sprint tools) forgets what that caller was shown.
 */
export class ShownVersions {
  #shown?: LRUCache<string, Shown>;

  /** Made at first use: lru-cache allocates its slots up front, which a cold start need not pay. */
  private get shown(): LRUCache<string, Shown> {
    return (this.#shown ??= new LRUCache<string, Shown>({ max: 20_000 }));
  }

  remember(ctx: ToolContext, kind: Board, raw: Raw): void {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: only saves memory; a kind without board fields compares nothing, and a record without a version never matches a given one
    if (kind.boardFields.length === 0 || typeof raw['version'] !== 'number') return;
    this.shown.set(key(ctx, kind, raw['id']), { version: raw['version'], board: board(kind, raw) });
  }

  forget(ctx: ToolContext, kind: Board, id: unknown): void {
    this.shown.delete(key(ctx, kind, id));
  }

  /** The board fields that differ from what was shown at `version`, or undefined (same, or not shown at that version). */
  changes(ctx: ToolContext, kind: Board, raw: Raw, version: number): Record<string, { was: unknown; now: unknown }> | undefined {
    const seen = this.shown.get(key(ctx, kind, raw['id']));
    if (seen === undefined || seen.version !== version) return undefined;
    const now = board(kind, raw);
    const changed = Object.fromEntries(kind.boardFields.filter((f) => JSON.stringify(seen.board[f]) !== JSON.stringify(now[f])).map((f) => [f, { was: seen.board[f], now: now[f] }]));
    return Object.keys(changed).length > 0 ? changed : undefined;
  }
}

const key = (ctx: ToolContext, kind: Board, id: unknown): string => `${ctx.session.apiUrl}|${ctx.session.userId}|${kind.endpoint}|${String(id)}`;

const board = (kind: Board, raw: Raw): Raw => Object.fromEntries(kind.boardFields.map((f) => [f, raw[f] ?? null]));

const memory = (ctx: ToolContext): ShownVersions => ctx.service<ShownVersions>('shownVersions');

export const rememberShown = (ctx: ToolContext, kind: Board, raw: Raw): void => memory(ctx).remember(ctx, kind, raw);
export const forgetShown = (ctx: ToolContext, kind: Board, id: unknown): void => memory(ctx).forget(ctx, kind, id);
export const boardChanges = (ctx: ToolContext, kind: Board, raw: Raw, version: number) => memory(ctx).changes(ctx, kind, raw, version);
