import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { TaigaMcpError } from '../errors.js';

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as a dual-stack socket gives it) as the IPv4 address it is. */
const unmapped = (address: string): string => (/^::ffff:/i.test(address) && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

/**
 * The proxies whose X-Forwarded-For is believed (`http.trustedProxies`: addresses and CIDR ranges).
 * An entry that is neither stops start-up: a typo must not quietly trust nobody, or everybody.
 */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0 || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && prefix <= max))) {
      throw new TaigaMcpError('CONFIG_INVALID', { message: `http.trustedProxies: "${entry.slice(0, 100)}" is not an IP address or a CIDR range` });
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return list;
}

/** BlockList answers false for what is not an address (a socket gone: 'unknown'). */
const trusted = (proxies: BlockList, address: string): boolean => proxies.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * Who sent the request: the socket's peer, unless that peer is a trusted proxy; then the right-most
 * X-Forwarded-For hop that is not a trusted proxy (each proxy appends the address it saw, so hops
 * left of the first untrusted one are whatever the client chose to write). A hop that is not an
 * address ends the walk there: what is left of it cannot be believed either.
 */
export function clientAddress(req: IncomingMessage, proxies: BlockList): string {
  let address = unmapped(req.socket.remoteAddress ?? 'unknown');
  if (!trusted(proxies, address)) return address;
  // Node joins repeated X-Forwarded-For headers with ", ".
  const hops = String(req.headers['x-forwarded-for'] ?? '').split(',').map((hop) => unmapped(hop.trim())).filter(Boolean);
  for (const hop of hops.reverse()) {
    if (isIP(hop) === 0) return address;
    address = hop;
    if (!trusted(proxies, hop)) return hop;
  }
  return address;
}
