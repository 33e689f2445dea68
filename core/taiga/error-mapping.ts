import { TaigaMcpError } from '../errors.js';
import { fieldErrorsOf, isRecord, safeText, targetOf, taigaMessageOf } from './error-text.js';

export interface TaigaErrorContext {
  method: string;
  /** The request path relative to the API root, without the query string. */
  path: string;
}

/**
 * Maps one non-2xx Taiga answer to the error catalog (taiga-api.md §3).
 *
 * `body` is the parsed JSON body, or undefined when the body was empty or not JSON (HTML 404/500
 * pages). Only Taiga's own short messages and field errors are carried over, cut to size; never
 * a raw body, HTML or header value.
 */
export function mapTaigaResponseError(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  ctx: TaigaErrorContext,
): TaigaMcpError {
  if (status === 400) return badRequest(body);
  if (status === 401) return unauthorized(body);
  if (status === 403) return forbidden(body);
  if (status === 404) return notFound(headers, body, ctx);
  if (status === 405 || status === 406 || status === 415) {
    return new TaigaMcpError('INTERNAL', {
      message: `Taiga refused ${ctx.method} ${safeText(ctx.path, 120)} with HTTP ${status}: this is a bug in taiga-mcp.`,
      details: { status },
    });
  }
  if (status === 429) return rateLimited(headers, body);
  if (status === 451) {
    return new TaigaMcpError('PERMISSION_DENIED', {
      message: 'The project is blocked (by Taiga staff or for exceeding its plan), so Taiga refuses changes to it.',
      details: { status, reason: 'project_blocked' },
      hint: 'Ask the Taiga administrator to unblock the project.',
    });
  }
  if (status >= 500) {
    return new TaigaMcpError('TAIGA_UNAVAILABLE', { message: `Taiga failed with HTTP ${status}.`, details: { status } });
  }
  if (status >= 300 && status < 400) {
    // undici does not follow redirects; a redirect almost always means a wrong base URL (http→https, subpath).
    return new TaigaMcpError('TAIGA_UNAVAILABLE', {
      message: `Taiga answered with a redirect (HTTP ${status}); check the configured Taiga URL.`,
      details: { status },
    });
  }
  const message = taigaMessageOf(body);
  return new TaigaMcpError('TAIGA_REJECTED', {
    message: message ?? `Taiga rejected the request with HTTP ${status}.`,
    details: { status },
  });
}

/** OCC answers `{version: "…"}` (a string, sometimes a list) and nothing else. */
function versionMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'version') return undefined;
  const value = body['version'];
  if (typeof value === 'string') return safeText(value, 300);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return safeText(value.join('; '), 300);
  return undefined;
}

function badRequest(body: unknown): TaigaMcpError {
  const version = versionMessage(body);
  if (version !== undefined) {
    return new TaigaMcpError('VERSION_CONFLICT', { details: { taiga_message: version } });
  }

  const isMessageShape =
    typeof body === 'string' ||
    (isRecord(body) && ('_error_message' in body || (Object.keys(body).length === 1 && typeof body['error'] === 'string')));
  if (isMessageShape) {
    const message = taigaMessageOf(body);
    return new TaigaMcpError('TAIGA_REJECTED', message === undefined ? {} : { message: `Taiga rejected the request: ${message}` });
  }

  const errors = fieldErrorsOf(body);
  if (errors !== undefined) {
    const names = Object.keys(errors.fields);
    return new TaigaMcpError('TAIGA_REJECTED', {
      message: `Taiga rejected the values of: ${names.join(', ')}${errors.omitted > 0 ? ` (and ${errors.omitted} more)` : ''}.`,
      details: { fields: errors.fields, ...(errors.omitted > 0 && { fields_omitted: errors.omitted }) },
    });
  }
  return new TaigaMcpError('TAIGA_REJECTED');
}

/**
 * 401 bodies are either simplejwt's `{detail, code}` or `{_error_message, _error_type: …NotAuthenticated}`.
 * `details.taiga_code` lets the session layer tell an expired token (refresh) from bad credentials.
 */
function unauthorized(body: unknown): TaigaMcpError {
  let code = 'unknown';
  if (isRecord(body)) {
    const raw = body['code'];
    const type = body['_error_type'];
    if (typeof raw === 'string' && /^[a-z_]{1,64}$/.test(raw)) code = raw;
    else if (typeof type === 'string' && type.endsWith('NotAuthenticated')) {
      code = body['_error_message'] === 'Invalid token' ? 'invalid_application_token' : 'not_authenticated';
    }
  }
  const message =
    code === 'token_not_valid'
      ? 'Taiga rejected the session token (invalid or expired).'
      : code === 'not_authenticated'
        ? 'Taiga requires authentication for this request.'
        : undefined;
  return new TaigaMcpError('AUTH_FAILED', { ...(message !== undefined && { message }), details: { taiga_code: code } });
}

function forbidden(body: unknown): TaigaMcpError {
  const taigaMessage = taigaMessageOf(body);
  if (taigaMessage === undefined) return new TaigaMcpError('PERMISSION_DENIED');
  if (/archived element/i.test(taigaMessage)) {
    return new TaigaMcpError('PERMISSION_DENIED', {
      message: 'Archived element: the project is archived and read-only.',
      details: { reason: 'archived' },
      hint: 'Ask a project admin to unarchive the project.',
    });
  }
  // Taiga's 403 texts say which reference was refused ("…set this sprint to this user story"): worth keeping.
  return new TaigaMcpError('PERMISSION_DENIED', { message: `Taiga refused: ${taigaMessage}` });
}

function notFound(headers: Record<string, string>, body: unknown, ctx: TaigaErrorContext): TaigaMcpError {
  const target = targetOf(ctx.path);
  const details = { resource: target.resource, ...(target.id !== undefined && { id: target.id }) };

  // Django's HTML 404 means the route itself does not exist: a wrong base URL or an unknown endpoint.
  if (body === undefined && (headers['content-type'] ?? '').includes('text/html')) {
    return new TaigaMcpError('NOT_FOUND', {
      message: `Taiga has no endpoint ${ctx.method} ${safeText(ctx.path, 120)}; check the configured Taiga URL.`,
      details: { ...details, endpoint_unknown: true },
    });
  }
  const name = RESOURCE_NAMES[target.resource];
  if (/^Page is not/.test(taigaMessageOf(body) ?? '')) {
    return new TaigaMcpError('INVALID_INPUT', {
      message: "That page is past the last page of the list.",
      details: { fields: { page: 'past the last page' } },
      hint: 'Ask for an earlier page: has_next on a page says whether another follows.',
    });
  }
  const what = target.id !== undefined ? `${name ?? target.resource} ${target.id}` : name ? `The ${name.toLowerCase()}` : target.resource;
  return new TaigaMcpError('NOT_FOUND', { message: `${what} was not found or is not visible to you.`, details });
}

/** What Taiga's route names mean to a person reading a message. */
const RESOURCE_NAMES: Record<string, string> = {
  userstories: 'User story',
  tasks: 'Task',
  issues: 'Issue',
  epics: 'Epic',
  milestones: 'Sprint',
  wiki: 'Wiki page',
  'wiki-links': 'Wiki link',
  projects: 'Project',
  memberships: 'Membership',
  users: 'User',
};

const THROTTLE_DEFAULT_SECONDS = 60;

/** Seconds to wait after a 429: `X-Throttle-Wait-Seconds`, else the number in the message, else 60. */
/** Taiga's answer to a page past the last of a list (a 404, mapped above to INVALID_INPUT on `page`). */
export const isPastLastPage = (err: unknown): boolean => err instanceof TaigaMcpError && err.code === 'INVALID_INPUT' && (err.details?.['fields'] as Record<string, unknown> | undefined)?.['page'] !== undefined;

export function throttleWaitSeconds(headers: Record<string, string>, body: unknown): number {
  const header = Number(headers['x-throttle-wait-seconds']);
  if (Number.isFinite(header) && header >= 0) return Math.ceil(header);
  const inMessage = /available in (\d+) second/.exec(taigaMessageOf(body) ?? '');
  // The message truncates the float wait ("%d"); the header rounds it up.
  if (inMessage?.[1] !== undefined) return Number(inMessage[1]) + 1;
  return THROTTLE_DEFAULT_SECONDS;
}

function rateLimited(headers: Record<string, string>, body: unknown): TaigaMcpError {
  const seconds = throttleWaitSeconds(headers, body);
  return new TaigaMcpError('RATE_LIMITED', {
    message: `Taiga is throttling requests; try again in ${seconds} s.`,
    details: { retry_after_seconds: seconds, source: 'taiga' },
  });
}
