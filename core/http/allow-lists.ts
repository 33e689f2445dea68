import type { HttpConfig } from '../config/http-schema.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);

export const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

const bracketed = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** An origin or a bare host name, as the SDK's guards compare them: the host name alone. */
function hostnameOf(entry: string): string {
  try {
    return new URL(entry).hostname;
  } catch {
    return entry;
  }
}

/**
 * Host header names accepted (DNS-rebinding protection): the loopback names, the bind address
 * unless it is a wildcard, publicUrl's host, and what the config adds.
 */
export function allowedHostnames(config: HttpConfig): string[] {
  const names = new Set(LOOPBACK_NAMES);
  if (!WILDCARD_BINDS.has(config.host)) names.add(bracketed(config.host));
  if (config.publicUrl) names.add(new URL(config.publicUrl).hostname);
  for (const host of config.allowedHosts) names.add(bracketed(hostnameOf(host)));
  return [...names];
}

/** Browser origins accepted: the same names by default, plus the configured origins. A request with no Origin passes. */
export function allowedOriginHostnames(config: HttpConfig): string[] {
  return [...new Set([...allowedHostnames(config), ...config.allowedOrigins.map((o) => bracketed(hostnameOf(o)))])];
}

/** A wildcard bind with nothing saying which names clients use leaves no Host to accept but loopback. */
export function hostCheckProblem(config: HttpConfig): string | undefined {
  if (WILDCARD_BINDS.has(config.host) && !config.publicUrl && config.allowedHosts.length === 0) {
    return `bound to ${config.host}: set http.publicUrl (or http.allowedHosts) to the name clients use, so that the Host check can accept it`;
  }
  return undefined;
}
