import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { clientAddress, trustedProxies } from '../../core/http/client-address.js';

// The address a failed-authentication limit counts against: what a socket and a header can say.
const request = (remoteAddress: string, forwardedFor?: string) => ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

test('a dual-stack socket gives IPv4 clients as ::ffff:a.b.c.d: matched and counted as the IPv4 address', () => {
  const proxies = trustedProxies(['10.0.0.0/8']);
  assert.equal(clientAddress(request('::ffff:10.1.1.1', '203.0.113.5'), proxies), '203.0.113.5');
  assert.equal(clientAddress(request('::ffff:203.0.113.5'), proxies), '203.0.113.5');
  assert.equal(clientAddress(request('10.1.1.1', '::ffff:203.0.113.6'), proxies), '203.0.113.6');
});

test('IPv6 proxies and ranges; with every hop trusted the left-most is the client', () => {
  const proxies = trustedProxies(['2001:db8::/32', '::1', '192.0.2.1']);
  assert.equal(clientAddress(request('::1', '2001:db8::7, 2001:db9::1'), proxies), '2001:db9::1');
  assert.equal(clientAddress(request('::1', '2001:db8::7, 192.0.2.1'), proxies), '2001:db8::7');
  assert.equal(clientAddress(request('192.0.2.2', '198.51.100.1'), proxies), '192.0.2.2', 'an untrusted peer');
  assert.equal(clientAddress(request('192.0.2.1', ' , 198.51.100.1 ,'), proxies), '198.51.100.1', 'empty hops are skipped');
  // A hop that is not an address (a proxy passing on what it was sent) ends the walk at the last trusted one: never a key made of header text.
  assert.equal(clientAddress(request('192.0.2.1', '198.51.100.1, not-an-ip'), proxies), '192.0.2.1');
  assert.equal(clientAddress(request('192.0.2.1', 'not-an-ip, ::1'), proxies), '::1');
});

test('an entry that is not an address or a CIDR range stops start-up', () => {
  for (const bad of ['localhost', '10.0.0.0/33', '::/129', '10.0.0.0/8/1', '10.0.0.0/', '10.0.0.0/x', '']) {
    assert.throws(() => trustedProxies([bad]), (err: Error & { code?: string }) => err.code === 'CONFIG_INVALID' && err.message.includes('http.trustedProxies'), bad);
  }
  assert.doesNotThrow(() => trustedProxies(['10.0.0.0/0', '::/0', '::/128', '10.0.0.1/32']));
  // The message quotes at most 100 characters of what it refuses.
  assert.throws(() => trustedProxies([`x${'y'.repeat(300)}`]), (err: Error) => err.message.includes(`"x${'y'.repeat(99)}"`));
});
