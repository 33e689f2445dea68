import { TaigaMcpError } from '../errors.js';

export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;
export type Query = Record<string, QueryValue>;

/**
 * Checks a path relative to the API root. Paths are built by our own code, so a bad one is our bug:
 * taiga-back routes have no trailing slash (except the root `/`), and a query belongs in `query`.
 */
export function assertApiPath(path: string): void {
  const bad =
    !path.startsWith('/') ||
    /[?#\s\u0000-\u001f\u007f\\]/.test(path) ||
    (path !== '/' && path.endsWith('/')) ||
    path.split('/').some((segment) => segment === '.' || segment === '..');
  if (bad) {
    throw new TaigaMcpError('INTERNAL', { message: 'taiga-mcp built an invalid Taiga API path.', details: { path_length: path.length } });
  }
}

/**
 * `?a=1&ids=1,2,3`. Arrays become comma lists (Taiga's multi-id filters); undefined, null and
 * empty arrays are dropped (an empty `status=` would be a filter error, not "no filter").
 */
export function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      parts.push(`${encodeURIComponent(key)}=${value.map((v) => encodeURIComponent(String(v))).join(',')}`);
    } else {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** Long opaque path segments (invitation tokens, application uuids) are not logged. */
const SECRET_LOOKING_SEGMENT = /^[A-Za-z0-9_.:=-]{24,}$/;

/**
 * What a log line may show of a request target: the path with secret-looking segments masked,
 * and the query's parameter names without their values (`q=` can hold anything a user typed).
 */
export function loggablePath(path: string, query: Query | undefined): string {
  const safePath = path
    .split('/')
    .map((segment) => (SECRET_LOOKING_SEGMENT.test(segment) ? ':redacted' : segment))
    .join('/');
  const names = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key]) => encodeURIComponent(key));
  return names.length === 0 ? safePath : `${safePath}?${names.join('&')}`;
}
