import { isIP } from 'node:net';

/**
 * Where an attachment may be downloaded from, compared as whole origins (scheme, host, port):
 * Taiga's own origin; a host of its parent domain (api.taiga.io → media-protected.taiga.io) with
 * Taiga's scheme and port, when Taiga has a DNS name of three labels or more (an IP address has no
 * parent domain); or a configured media origin. Anything else would let a crafted attachment record
 * make this server fetch from any machine.
 */
export function allowedSource(url: URL, apiUrl: string, mediaOrigins: readonly string[]): boolean {
  const api = new URL(apiUrl);
  if (url.origin === api.origin || mediaOrigins.includes(url.origin)) return true;
  const labels = api.hostname.split('.');
  // An IPv6 address ([::1]) has no dots: fewer than three labels.
  if (isIP(api.hostname) !== 0 || labels.length < 3) return false;
  return url.protocol === api.protocol && url.port === api.port && url.hostname.endsWith(`.${labels.slice(1).join('.')}`);
}
