import { TaigaMcpError } from '../errors.js';

const KEY = 'TAIGA_FRONT_URL (taiga.frontUrl)';

/**
 * The configured web front-end root, `<origin>[/subpath]` without a trailing slash. Only http(s),
 * no credentials, query or fragment: it is put in every link a person may click. Messages never
 * echo the input.
 */
export function normaliseFrontUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new TaigaMcpError('CONFIG_INVALID', { message: `${KEY} is not a valid URL; use the form https://taiga.example.com.` });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TaigaMcpError('CONFIG_INVALID', { message: `${KEY} must be an http(s) URL.` });
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new TaigaMcpError('CONFIG_INVALID', { message: `${KEY} must not contain a username, password, query string or fragment.` });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Where Taiga's web front-end lives for an API root: a self-hosted Taiga serves both from one
 * address (`https://host[/sub]/api/v1` → `https://host[/sub]`); taiga.io's API has a host of its own.
 */
export function derivedFrontUrl(apiUrl: string): string {
  const root = apiUrl.replace(/\/api\/v1$/, '');
  return new URL(root).host === 'api.taiga.io' ? 'https://tree.taiga.io' : root;
}

/** The front-end route of each kind of item (taiga-back's taiga/front/urls.py). */
export const FRONT_SEGMENTS = { user_story: 'us', task: 'task', issue: 'issue', epic: 'epic', sprint: 'taskboard', wiki_page: 'wiki' } as const;
export type LinkedKind = keyof typeof FRONT_SEGMENTS;

/**
 * An item's web link, or with `{ref}` for the key the pattern of a list's links. The project slug
 * and the key are percent-encoded: a slug or wiki slug is Taiga's, and a link must stay one token.
 */
export function frontLink(front: string, projectSlug: string, kind: LinkedKind, key: string | number | '{ref}'): string {
  const last = key === '{ref}' ? key : encodeURIComponent(String(key));
  return `${front}/project/${encodeURIComponent(projectSlug)}/${FRONT_SEGMENTS[kind]}/${last}`;
}
