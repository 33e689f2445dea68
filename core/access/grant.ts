import { TaigaMcpError } from '../errors.js';
import type { AnyTool, ToolsetDefinition } from '../plugin/types.js';

/** Why one principal may not use a tool that the server offers. */
export type Refusal =
  /** OAuth: the token lacks a scope the tool needs; `scope` is every scope the tool needs (RFC 6750 `scope`). */
  | { reason: 'scope'; missing: readonly string[]; scope: string }
  /** An API key with `readOnly`, and a tool that is not read-only. */
  | { reason: 'read-only' }
  /** An API key whose `toolsets` leave out the tool's toolset. */
  | { reason: 'toolset'; toolset: string };

/**
 * What one principal may use of the tools the server enables: a narrowing, never a widening (a tool
 * the server leaves off stays off). Grants with the same `key` allow the same tools, so what is
 * served to them (tools/list, resources, prompts) is worked out once per key.
 */
export interface Grant {
  readonly key: string;
  refusal(tool: AnyTool, toolset: string): Refusal | undefined;
}

/** The OAuth scopes a tool needs beyond `requiredScopes`, by annotation and by toolset. */
export interface ScopeRules {
  /** Needed by every tool that is not read-only (`readOnlyHint` false). */
  readonly write?: string | undefined;
  /** Needed by every destructive tool (`destructiveHint` true), besides `write`. */
  readonly destructive?: string | undefined;
  /** Needed by every tool of the toolset. */
  readonly toolsets: Readonly<Record<string, string>>;
}

function scopesNeeded(rules: ScopeRules, tool: AnyTool, toolset: string): string[] {
  const needed = new Set<string>();
  if (rules.write && !tool.annotations.readOnlyHint) needed.add(rules.write);
  if (rules.destructive && tool.annotations.destructiveHint) needed.add(rules.destructive);
  const ofToolset = rules.toolsets[toolset];
  if (ofToolset) needed.add(ofToolset);
  return [...needed];
}

/** What a token with `scopes` may use under `rules`; `base` (requiredScopes) goes into the scope a refusal asks for. */
export function scopeGrant(rules: ScopeRules, scopes: readonly string[], base: readonly string[]): Grant {
  const held = new Set(scopes);
  const ruled: ReadonlyArray<string | undefined> = [rules.write, rules.destructive, ...Object.values(rules.toolsets)];
  return {
    key: `scopes:${[...held].filter((s) => ruled.includes(s)).sort().join(' ')}`,
    refusal(tool, toolset) {
      const needed = scopesNeeded(rules, tool, toolset);
      const missing = needed.filter((s) => !held.has(s));
      return missing.length ? { reason: 'scope', missing, scope: [...new Set([...base, ...needed])].join(' ') } : undefined;
    },
  };
}

/** An API key's own bounds. */
export interface KeyBounds {
  readonly readOnly?: boolean | undefined;
  /** Toolset ids (`default` names the default ones); left out: every toolset. */
  readonly toolsets?: readonly string[] | undefined;
}

/**
 * What an API key may use (with no bound: every tool the server enables). Toolset ids are checked here, at start:
 * a misspelt one stops the server instead of quietly granting nothing.
 */
export function keyGrant(bounds: KeyBounds, known: readonly ToolsetDefinition[], where: string): Grant {
  let toolsets: Set<string> | undefined;
  if (bounds.toolsets) {
    const ids = new Set(known.map((t) => t.id));
    for (const id of bounds.toolsets) {
      if (id !== 'default' && !ids.has(id)) throw new TaigaMcpError('TOOLSET_UNKNOWN', { message: `${where}: unknown toolset "${id}"; known: ${[...ids].join(', ')}.` });
    }
    toolsets = new Set(bounds.toolsets.flatMap((id) => (id === 'default' ? known.filter((t) => t.default).map((t) => t.id) : [id])));
  }
  const readOnly = bounds.readOnly === true;
  return {
    key: `key:${readOnly ? 'ro' : 'rw'}:${toolsets ? [...toolsets].sort().join(',') : '*'}`,
    refusal(tool, toolset) {
      if (toolsets && !toolsets.has(toolset)) return { reason: 'toolset', toolset };
      if (readOnly && !tool.annotations.readOnlyHint) return { reason: 'read-only' };
      return undefined;
    },
  };
}

/** The catalog error a refused call answers; it names the missing scope, or why the key does not reach the tool. */
export function notGranted(tool: string, refusal: Refusal): TaigaMcpError {
  switch (refusal.reason) {
    case 'scope':
      return new TaigaMcpError('NOT_GRANTED', {
        message: `The token lacks the scope ${refusal.missing.join(' ')} that ${tool} needs.`,
        details: { missing_scope: refusal.missing.join(' '), scope: refusal.scope },
        hint: 'Get a token with details.scope (the authorization server grants it), or use a tool this token allows.',
      });
    case 'read-only':
      return new TaigaMcpError('NOT_GRANTED', { message: `This API key is read-only; ${tool} writes.`, details: { reason: 'read-only' } });
    case 'toolset':
      return new TaigaMcpError('NOT_GRANTED', { message: `This API key does not grant the toolset ${refusal.toolset} of ${tool}.`, details: { reason: 'toolset', toolset: refusal.toolset } });
  }
}
