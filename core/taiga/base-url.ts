import { TaigaMcpError } from '../errors.js';

const API_SUFFIX = '/api/v1';
/** The config key named in every message, so the operator knows what to fix. */
const KEY = 'TAIGA_API_URL (taiga.url)';

function invalid(reason: string): TaigaMcpError {
  return new TaigaMcpError('CONFIG_INVALID', { message: `${KEY} ${reason}` });
}

/**
 * Turns whatever the operator typed into the API root, `<origin>[/subpath]/api/v1`, with no
 * trailing slash (taiga-back routes have none: `/userstories/` is an HTML 404).
 *
 * Accepted: `https://host`, `https://host/`, `https://host/api/v1[/]`, `https://host/taiga[/api/v1]`.
 * Messages never echo the input: it may carry credentials or a secret path.
 */
export function normaliseBaseUrl(input: string, opts: { allowHttp: boolean }): string {
  const trimmed = input.trim();
  if (trimmed === '') throw invalid('is empty; set it to the Taiga address, e.g. https://taiga.example.com.');

  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid('is not a valid URL; use the form https://taiga.example.com.');
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(`must use https:// (got the scheme "${url.protocol.slice(0, 20)}").`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('must not contain a username or password; use TAIGA_USERNAME / TAIGA_PASSWORD or login instead.');
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalid('must not contain a query string or a fragment.');
  }
  if (url.protocol === 'http:' && !opts.allowHttp) {
    throw invalid('uses plain http://, which would send passwords and tokens unencrypted; use https:// or set ALLOW_HTTP_TAIGA=true.');
  }

  return `${url.origin}${apiPath(url.pathname)}`;
}

function apiPath(pathname: string): string {
  const path = pathname.replace(/\/+$/, '');
  if (path.endsWith(API_SUFFIX)) return path;
  // `https://host/api` is a half-typed API root, not a subpath called "api".
  if (path.endsWith('/api')) return `${path}/v1`;
  if (/\/api\/v\d+$/.test(path)) throw invalid('points at an API version other than v1; taiga-mcp speaks /api/v1.');
  return `${path}${API_SUFFIX}`;
}

/** `scheme://host[:port]` of a URL, lower-cased, for pool keys and host allow-lists. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    throw new TaigaMcpError('CONFIG_INVALID', { message: 'Not a valid URL.' });
  }
}
