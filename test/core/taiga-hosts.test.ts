/** The Taiga client each allowed host gets (core/taiga-hosts.ts), seen from a scripted Taiga on 127.0.0.1. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../core/config/load.js';
import { createLogger } from '../../core/logger.js';
import { TaigaHosts } from '../../core/taiga-hosts.js';
import { TaigaMcpError } from '../../core/errors.js';
import type { TaigaHttpObserver, TaigaRequestTracer } from '../../core/taiga/http.js';
import { startFakeTaiga, sendJson, type FakeTaiga } from './taiga/fake-taiga.js';

let fake: FakeTaiga;
before(async () => {
  fake = await startFakeTaiga();
});
after(async () => fake.close());

const config = (taiga: Record<string, unknown> = {}) => validateConfig({ taiga: { url: new URL(fake.baseUrl).origin, allowHttp: true, ...taiga } });

test('one client per Taiga, sending taiga-mcp as its user agent, retrying a read as often as taiga.retries says', async () => {
  const hosts = new TaigaHosts(config({ retries: 2 }), createLogger('silent'));
  try {
    assert.equal(hosts.client(), hosts.client(), 'the keep-alive client is made once');
    fake.received.length = 0;
    fake.handle((_, res) => sendJson(res, 503, {}));
    await assert.rejects(hosts.client().request({ method: 'GET', path: '/projects' }), (e: unknown) => e instanceof TaigaMcpError && e.code === 'TAIGA_UNAVAILABLE');
    assert.equal(fake.received.length, 2, 'two attempts, as configured');
    assert.equal(fake.received[0]?.headers['user-agent'], 'taiga-mcp');
  } finally {
    await hosts.close();
  }
});

test('the observer and tracer given to the hosts see the client requests', async () => {
  const seen: string[] = [];
  const observer: TaigaHttpObserver = { attempt: () => void seen.push('observed'), retry: () => undefined };
  const tracer: TaigaRequestTracer = { taigaRequest: () => (seen.push('traced'), () => undefined) };
  const hosts = new TaigaHosts(config(), createLogger('silent'), observer, tracer);
  try {
    fake.handle((_, res) => sendJson(res, 200, {}));
    await hosts.client().request({ method: 'GET', path: '/projects' });
    assert.deepEqual([...new Set(seen)].sort(), ['observed', 'traced']);
  } finally {
    await hosts.close();
  }
});

test('a session for a Taiga no longer allowed gets no client, and is told to log in again', () => {
  const hosts = new TaigaHosts(config(), createLogger('silent'));
  assert.throws(
    () => hosts.client('https://other.example/api/v1'),
    (e: unknown) =>
      e instanceof TaigaMcpError &&
      e.code === 'SESSION_INVALID' &&
      e.message === 'This session is for a Taiga that this server does not allow (any more).' &&
      e.hint === 'Call login again.',
  );
});
