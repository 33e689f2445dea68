/** A word of a Taiga route: lower-case letters joined by `_` or `-` (userstories, by_ref, custom-attributes-values). */
const ROUTE_WORD = /^[a-z]+(?:[_-][a-z]+)*$/;
const ID = /^\d+$/;
/** A segment that is already a placeholder (a download's `{file}`). */
const PLACEHOLDER = /^\{[a-z_]+\}$/;

/**
 * The route of a request path under the API root, as a span names it: `/userstories/42/watch` is
 * `/userstories/{id}/watch`. Paths are built by the server's code from route words and ids (the
 * query, where user text goes, is never part of it); any other segment, should a plugin put one
 * in a path, becomes `{value}`, so no id, slug or token reaches a trace.
 */
export function routeTemplate(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment === '' || (ROUTE_WORD.test(segment) && segment.length <= 48) || PLACEHOLDER.test(segment) ? segment : ID.test(segment) ? '{id}' : '{value}'))
    .join('/');
}
