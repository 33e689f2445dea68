// What a handler receives: the parsed request plus the emulator's state.
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenService } from './auth.js';
import type { State } from './state.js';
import type { User } from './types.js';
import type { Reply } from './http.js';

export interface Ctx {
  state: State;
  tokens: TokenService;
  method: string;
  /** Path below /api/v1, without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Route parameters (`id`). */
  params: Record<string, string>;
  user: User | null;
  /** Absolute URL of this request (for X-Pagination-Next/Prev). */
  url: URL;
  /** http://host:port/api/v1 */
  apiUrl: string;
  /** taiga-back's MEDIA_URL (`https://media.example.com/`) when set; else files are served next to the API, at /media/. */
  mediaUrl: string | undefined;
  /** The parsed body: an object from JSON or a form, `undefined` when empty. Throws ParseError lazily like DRF. */
  body(): unknown;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;
export type MethodHandlers = Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', Handler>>;

/** `/userstories/:id/watch` → handlers. */
export type RouteTable = [template: string, handlers: MethodHandlers][];

/** The body as a plain object, or `{}` when it is empty; DRF treats a non-object as "Invalid data". */
export function bodyObject(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body();
  if (b === undefined || b === null) return {};
  return b as Record<string, unknown>;
}
