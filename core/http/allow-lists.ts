import type { HttpConfig } from '../config/http-schema.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);

export const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * A host name as the Host and Origin checks compare it (lower case, IPv6 in brackets, IPv4 in
 * dotted decimal, no port), from an origin (`https://h:443`), a `host[:port]` or a bare IPv6
 * address; undefined when the entry is none of these.
 */
export function hostnameOf(entry: string): string | undefined {
  const bareIpv6 = entry.split(':').length > 2 && !entry.startsWith('[');
  const url = entry.includes('://') ? entry : `http://${bareIpv6 ? `[${entry}]` : entry}`;
  return URL.canParse(url) ? new URL(url).hostname || undefined : undefined;
}

/** Each entry's host name; hostCheckProblem has stopped the start if one has none. */
const hostnamesOf = (entries: string[]): string[] => entries.map((e) => hostnameOf(e)!);

/**
 * Host header names accepted (DNS-rebinding protection): the loopback names, the bind address
 * unless it is a wildcard (a browser reaches 0.0.0.0 as this machine), publicUrl's host, and
 * what the config adds.
 */
export function allowedHostnames(config: HttpConfig): Set<string> {
  const bind = WILDCARD_BINDS.has(config.host) ? [] : [config.host];
  return new Set([...LOOPBACK_NAMES, ...hostnamesOf([...bind, ...(config.publicUrl ? [config.publicUrl] : []), ...config.allowedHosts])]);
}

/** Browser origins accepted: the same names, plus the configured origins. A request with no Origin passes. */
export function allowedOriginHostnames(config: HttpConfig): Set<string> {
  return new Set([...allowedHostnames(config), ...hostnamesOf(config.allowedOrigins)]);
}

/** Why the Host check could not work as configured, if it cannot: said at start, before a socket opens. */
export function hostCheckProblem(config: HttpConfig): string | undefined {
  const unusable = [...config.allowedHosts.map((e) => ['allowedHosts', e]), ...config.allowedOrigins.map((e) => ['allowedOrigins', e])].find(([, e]) => hostnameOf(e!) === undefined);
  if (unusable) return `http.${unusable[0]}: "${unusable[1]}" is not a host name, host:port or origin`;
  if (WILDCARD_BINDS.has(config.host) && !config.publicUrl && config.allowedHosts.length === 0) {
    return `bound to ${config.host}: set http.publicUrl (or http.allowedHosts) to the name clients use, so that the Host check can accept it`;
  }
  return undefined;
}
