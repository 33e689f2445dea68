import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, Agent } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { makePki, type Pem, type TestPki } from '../helpers/certs.js';
import { messageOf, rpc, startHttpMcp, type HttpMcp, type RawAnswer } from '../helpers/http-server.js';

// HTTPS with certificates made for this run: mutual TLS names the principal from a verified
// client certificate; SIGHUP swaps the server certificate without dropping open connections.
let emulator: Emulator;
let pki: TestPki;
let server: HttpMcp;
let serverPem: Pem;

before(async () => {
  emulator = await startEmulator();
  pki = makePki();
  serverPem = pki.server();
  server = await startHttpMcp({
    emulator,
    http: { tls: { cert: serverPem.certFile, key: serverPem.keyFile, clientCa: pki.ca.certFile }, auth: { mtls: { principalFrom: 'cn' } } },
  });
});
after(async () => {
  await server.stop();
  await emulator.close();
});

interface TlsAnswer extends RawAnswer {
  serial: string;
}

function tlsRequest(body: string, opts: { client?: Pem; agent?: Agent; url?: string } = {}): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      opts.url ?? server.mcpUrl,
      {
        method: 'POST',
        ca: pki.ca.cert,
        ...(opts.client && { cert: opts.client.cert, key: opts.client.key }),
        ...(opts.agent && { agent: opts.agent }),
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      },
      (res) => {
        let text = '';
        const serial = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, serial }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('over HTTPS, a client certificate from the trusted CA acts as mtls:<CN>', async () => {
  const answer = await tlsRequest(rpc('tools/call', { name: 'list_projects', arguments: {} }), { client: pki.client('dana') });
  assert.equal(answer.status, 200, answer.body);
  assert.ok(!(messageOf(answer).result as { isError?: boolean }).isError, answer.body.slice(0, 300));
  await new Promise((r) => setTimeout(r, 50));
  assert.match(server.stderr(), /"principal":"mtls:dana"/);
});

test('no client certificate, or one from an untrusted CA → 401 (a readable answer, not a failed handshake)', async () => {
  const none = await tlsRequest(rpc('ping'));
  assert.equal(none.status, 401);
  assert.deepEqual(JSON.parse(none.body), { error: 'unauthorized', error_description: 'no trusted client certificate and no bearer token' });
  const rogue = await tlsRequest(rpc('ping'), { client: pki.client('mallory', 'rogue') });
  assert.equal(rogue.status, 401);
});

test('SIGHUP reloads the certificate: new connections get the new one, an open connection carries on', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const client = pki.client('erin');
  const first = await tlsRequest(rpc('ping', {}, 1), { client, agent });
  assert.equal(first.status, 200);
  const renewed = pki.server(); // same files, new serial
  assert.notEqual(renewed.cert, serverPem.cert);
  server.child.kill('SIGHUP');
  const deadline = Date.now() + 10_000;
  while (!server.stderr().includes('TLS certificates reloaded')) {
    assert.ok(Date.now() < deadline, 'no reload seen in the log');
    await new Promise((r) => setTimeout(r, 25));
  }
  const reused = await tlsRequest(rpc('ping', {}, 2), { client, agent });
  assert.equal(reused.status, 200, 'the open connection still serves');
  assert.equal(reused.serial, first.serial, 'it is the connection from before the reload');
  agent.destroy();
  const fresh = await tlsRequest(rpc('ping', {}, 3), { client });
  assert.equal(fresh.status, 200);
  assert.notEqual(fresh.serial, first.serial, 'a new connection gets the new certificate');
});

test('principalFrom takes that kind of SAN of a verified certificate, up to 200 characters, and never another kind', { timeout: 60_000 }, async () => {
  const tls = { cert: serverPem.certFile, key: serverPem.keyFile, clientCa: pki.ca.certFile };
  const kinds = ['san-dns', 'san-email', 'san-uri'] as const;
  const servers = await Promise.all(kinds.map((principalFrom) => startHttpMcp({ emulator, http: { tls, auth: { mtls: { principalFrom } } } })));
  try {
    const all = pki.client('fay', 'ca', 'DNS:fay.clients.test,email:fay@example.com,URI:spiffe://taiga-mcp.test/fay');
    const expected = { 'san-dns': 'fay.clients.test', 'san-email': 'fay@example.com', 'san-uri': 'spiffe://taiga-mcp.test/fay' };
    const call = (i: number, client: Pem) => tlsRequest(rpc('tools/call', { name: 'list_projects', arguments: {} }), { client, url: servers[i]!.mcpUrl });
    for (const [i, kind] of kinds.entries()) {
      const answer = await call(i, all);
      assert.equal(answer.status, 200, `${kind}: ${answer.body.slice(0, 200)}`);
    }
    const uri = (length: number) => `spiffe://taiga-mcp.test/${'u'.repeat(length - 24)}`;
    assert.equal((await call(2, pki.client('gil', 'ca', `URI:${uri(200)}`))).status, 200, 'a 200-character name');
    assert.equal((await call(2, pki.client('hal', 'ca', `URI:${uri(201)}`))).status, 401, 'a 201-character name');
    assert.equal((await call(0, pki.client('ivy', 'ca', 'email:ivy@example.com'))).status, 401, 'no SAN of the kind asked for');
    assert.equal((await call(1, pki.client('jo', 'ca', ''))).status, 401, 'no SAN at all');
    await new Promise((r) => setTimeout(r, 50));
    for (const [i, kind] of kinds.entries()) {
      const principals = [...servers[i]!.stderr().matchAll(/"principal":"(mtls:[^"]*)"/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(principals)], kind === 'san-uri' ? [`mtls:${expected[kind]}`, `mtls:${uri(200)}`] : [`mtls:${expected[kind]}`], kind);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
});
