/**
 * The one error catalog. Codes are stable API: agents and operators match on them.
 * A retired code is never reused for another meaning.
 *
 * `tool` errors reach the MCP client as `isError` results; `boot` errors stop start-up.
 */

export type ErrorKind = 'tool' | 'boot';

export interface CatalogEntry {
  readonly kind: ErrorKind;
  /** Default message when the thrower gives none. */
  readonly message: string;
  /** What the agent (or operator) should do next. */
  readonly hint: string;
  /** Worth retrying the same call later without changing it. */
  readonly retryable: boolean;
}

const tool = (message: string, hint: string, retryable = false): CatalogEntry => ({ kind: 'tool', message, hint, retryable });
const boot = (message: string, hint: string): CatalogEntry => ({ kind: 'boot', message, hint, retryable: false });

export const ERROR_CATALOG = {
  // ── tool calls: input ───────────────────────────────────────────────
  INVALID_INPUT: tool('The arguments are not valid.', 'Fix the fields named in details and call again.'),
  // ── tool calls: sessions and limits ─────────────────────────────────
  AUTH_REQUIRED: tool(
    'No Taiga account is configured for this server.',
    "Tell the user to add TAIGA_APPLICATION_TOKEN (or TAIGA_USERNAME and TAIGA_PASSWORD) to this server's env in the MCP client config and restart the client. Never ask for a password in the chat.",
  ),
  AUTH_FAILED: tool('Taiga rejected the credentials.', 'Check the username and password; do not retry with the same ones.'),
  SESSION_INVALID: tool('This session_id is not known.', 'Call login to get a new session_id.'),
  SESSION_EXPIRED: tool('This session has expired.', 'Call login again to get a new session_id.'),
  NOT_GRANTED: tool('Your credential does not grant this tool.', 'Use a tool this credential allows (tools/list shows them), or ask the operator for a credential that grants it.'),
  HOST_NOT_ALLOWED: tool('That Taiga host is not allowed by this server.', 'Use one of the Taiga hosts configured for this server.'),
  RATE_LIMITED: tool('Too many requests.', 'Wait for details.retry_after_seconds, then call again.', true),
  STORE_UNAVAILABLE: tool('The session store of this server is not reachable.', 'Try again in a little while; if it persists, tell the operator (the Redis behind this server is down).', true),
  // ── tool calls: Taiga answers ───────────────────────────────────────
  NOT_FOUND: tool('The object does not exist or is not visible to you.', 'Check the id, ref or name; list the objects to find the right one.'),
  PERMISSION_DENIED: tool('Taiga refused: you lack the permission for this action.', 'Ask a project admin for the permission, or use another account.'),
  VERSION_CONFLICT: tool('Someone changed this object since the version you sent.', 'Read the object again (details.current_version), re-apply your change, and call again.'),
  TAIGA_REJECTED: tool('Taiga rejected the request.', 'Read details.fields, correct the values and call again.'),
  TAIGA_UNAVAILABLE: tool('Taiga is not reachable or failed.', 'Try again in a little while.', true),
  TIMEOUT: tool('Taiga did not answer in time.', 'Try again; for a write, read the object first to see whether it changed.', true),
  CANCELLED: tool('The call was cancelled before it finished.', 'Nothing more will happen for it; for a write, read the object to see whether the change landed before calling again.'),
  INTERNAL: tool('An internal error occurred.', 'Try again; if it persists, report the request_id to the operator.'),
  // ── tool calls: virus scanning of uploads ──────────────────────────
  UPLOAD_INFECTED: tool('The virus scanner found something in the file; nothing was sent to Taiga.', 'Do not upload this file again; tell the user what the scanner named (details.signature).'),
  SCAN_UNAVAILABLE: tool(
    'The virus scanner gave no verdict, so the file was not uploaded.',
    'Try again in a little while; if it persists, tell the operator (details.reason: the clamd behind this server is unreachable, slow or failing).',
    true,
  ),
  // ── tool calls: the person behind the agent ─────────────────────────
  DECLINED: tool('The person declined this write: nothing was written.', 'Do not call it again as it was; ask the user what they want instead.'),
  CONFIRMATION_REQUIRED: tool(
    "This write needs a person's confirmation, and this client cannot ask one.",
    'Show the user details.question; call again with confirm: true only if they agree (or the operator sets confirmations.mode to "ask").',
  ),
  CONFIRMATION_INVALID: tool(
    'The confirmation sent back is not valid for this call (altered, expired, already used, or for other arguments): nothing was written.',
    'Call the tool again as a new call, so that the person is asked again.',
  ),
  // ── start-up ─────────────────────────────────────────────────────────
  CONFIG_INVALID: boot('The configuration is not valid.', 'Fix the key named in the message.'),
  PLUGIN_DUPLICATE: boot('Two plugins have the same name.', 'Remove one of them from the configuration.'),
  PLUGIN_CORE_RANGE: boot('A plugin does not support this core version.', 'Upgrade the plugin or the server.'),
  PLUGIN_DEPENDENCY_MISSING: boot('A plugin needs another plugin that is not enabled.', 'Enable the missing plugin.'),
  PLUGIN_INVALID: boot('A plugin does not follow the plugin contract.', 'Fix the plugin manifest.'),
  PLUGIN_LOAD_FAILED: boot('A plugin could not be loaded.', 'Check the package name or path in the configuration.'),
  TOOL_NAME_COLLISION: boot('Two tools have the same name.', 'Rename one tool or disable one plugin.'),
  TOOLSET_UNKNOWN: boot('The configuration names an unknown toolset.', 'Use one of the toolsets listed by `taiga-mcp tools`.'),
  TOOL_UNKNOWN: boot('The configuration names an unknown tool.', 'Use a tool name listed by `taiga-mcp tools --all`.'),
  MIDDLEWARE_INVALID: boot('A middleware is misplaced or misbehaved.', 'Fix the plugin middleware declaration.'),
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface ErrorOptions {
  message?: string;
  details?: Record<string, unknown>;
  hint?: string;
  cause?: unknown;
}

/** Marks every TaigaMcpError, whichever copy of this module made it (see hasInstance). */
const BRAND = Symbol.for('taiga-mcp.TaigaMcpError');

/** The only error type the core throws on purpose. Its message is safe to show. */
export class TaigaMcpError extends Error {
  /**
   * `instanceof` by brand, not by prototype: the bundled CLI has its own copy of this class, and a
   * third-party plugin throws the one it imported from the package; both mean the same error.
   */
  static override [Symbol.hasInstance](value: unknown): value is TaigaMcpError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly hint: string;

  constructor(code: ErrorCode, options: ErrorOptions = {}) {
    const entry: CatalogEntry = ERROR_CATALOG[code];
    super(options.message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TaigaMcpError';
    this.code = code;
    this.details = options.details;
    this.hint = options.hint ?? entry.hint;
  }

  get retryable(): boolean {
    return ERROR_CATALOG[this.code].retryable;
  }

  /** The `{ code, message, details?, hint? }` shape sent to clients. */
  toJSON(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.details && { details: this.details }),
      hint: this.hint,
    };
  }
}

Object.defineProperty(TaigaMcpError.prototype, BRAND, { value: true });

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  hint?: string;
}

export const isTaigaMcpError = (e: unknown): e is TaigaMcpError => e instanceof TaigaMcpError;

export function taigaError(code: ErrorCode, message?: string, details?: Record<string, unknown>): TaigaMcpError {
  return new TaigaMcpError(code, { ...(message !== undefined && { message }), ...(details && { details }) });
}
