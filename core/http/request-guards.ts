import type { IncomingMessage } from 'node:http';

/** Why a request is answered before anything serves it; the message never holds a header whole. */
export interface Refusal {
  status: 400 | 403;
  message: string;
}

/** RFC 9110 Host: a reg-name or an IP literal, and a port. Anything else (`user@host`, a path) is a 400. */
const HOST_SYNTAX = /^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
/** Header values the MCP SDK repeats in its errors, and how long each may be. */
const MCP_HEADER_LIMITS: Record<string, number> = { 'mcp-protocol-version': 40, 'mcp-method': 128, 'mcp-name': 1024 };

/** A host name checked for syntax, cut short: what an answer may say back. */
function shown(name: string): string {
  return name.length > 100 ? `${name.slice(0, 100)}…` : name;
}

/** The host name of a `host[:port]`, lower case; undefined for anything else (a port over 65535, an IPv6 literal that is not one). */
function nameIn(host: string | undefined): string | undefined {
  if (host === undefined || !HOST_SYNTAX.test(host)) return undefined;
  const url = `http://${host}`;
  return URL.canParse(url) ? new URL(url).hostname : undefined;
}

/** The request target must be a path: an absolute URL or `*` would reach the SDK as a URL it cannot build. */
export function targetRefusal(req: IncomingMessage): Refusal | undefined {
  return String(req.url).startsWith('/') ? undefined : { status: 400, message: 'Bad Request: the request target is not a path' };
}

/** DNS-rebinding protection: a Host naming this server, by one of the accepted names. */
export function hostRefusal(req: IncomingMessage, allowed: ReadonlySet<string>): Refusal | undefined {
  const name = nameIn(req.headers.host);
  if (name === undefined) return { status: 400, message: 'Bad Request: the Host header is missing or is not a host name and port' };
  return allowed.has(name) ? undefined : { status: 403, message: `Forbidden: the Host ${shown(name)} is not accepted by this server (http.allowedHosts)` };
}

/** A browser page's Origin, when there is one, must be one of ours. */
export function originRefusal(req: IncomingMessage, allowed: ReadonlySet<string>): Refusal | undefined {
  const origin = req.headers.origin;
  if (!origin) return undefined;
  // A serialized origin (RFC 6454): scheme://host[:port], nothing more (no user, no path).
  const name = nameIn(/^[a-z][a-z0-9+.-]*:\/\/([^/?#@]+)$/i.exec(origin)?.[1]);
  if (name === undefined) return { status: 403, message: 'Forbidden: the Origin header is not an origin' };
  return allowed.has(name) ? undefined : { status: 403, message: `Forbidden: the Origin ${shown(name)} is not accepted by this server (http.allowedOrigins)` };
}

/** MCP's own headers, bounded before the SDK, which repeats them in its answers. */
export function mcpHeaderRefusal(req: IncomingMessage): Refusal | undefined {
  for (const [header, limit] of Object.entries(MCP_HEADER_LIMITS)) {
    const value = req.headers[header];
    if (typeof value === 'string' && value.length > limit) return { status: 400, message: `Bad Request: the ${header} header is longer than ${limit} characters` };
  }
  return undefined;
}
