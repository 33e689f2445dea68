/**
 * `exchange()` on its own, against a real HTTP server on loopback: how each way of ending (answer,
 * too large, deadline, caller abort, transport error) settles exactly once, and leaves no timer,
 * listener or request behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type Dispatcher } from 'undici';
import { exchange, ExchangeStopped, type ExchangeRequest } from '../../../core/taiga/exchange.js';

/** A hang (under a mutant, an exchange that never settles) fails its test in 20 s instead of holding a mutation run. */
const HANG = { timeout: 20_000 };

interface Loopback {
  origin: string;
  /** Paths in the order the server received them. */
  received: string[];
  /** Requests the server holds unanswered, ended when the test says so. */
  held: ServerResponse[];
  closed: () => number;
  stop: () => Promise<void>;
}

async function loopback(handle: (req: IncomingMessage, res: ServerResponse, held: ServerResponse[]) => void): Promise<Loopback> {
  const received: string[] = [];
  const held: ServerResponse[] = [];
  let closed = 0;
  const server = createServer((req, res) => {
    received.push(req.url ?? '');
    req.socket.once('close', () => closed++);
    handle(req, res, held);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    held,
    closed: () => closed,
    stop: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `body` with a loopback server and an undici pool on it, and closes both whatever happens. */
async function onLoopback(handle: Parameters<typeof loopback>[0], body: (server: Loopback, pool: Pool) => Promise<void>, poolOptions: Pool.Options = {}): Promise<void> {
  const server = await loopback(handle);
  const pool = new Pool(server.origin, poolOptions);
  try {
    await body(server, pool);
  } finally {
    await pool.close();
    await server.stop();
  }
}

const request = (origin: string, extra: Partial<ExchangeRequest> = {}): ExchangeRequest => ({ origin, path: '/x', method: 'GET', headers: {}, limit: 1000, timeoutMs: 5000, ...extra });
/** What the exchange rejected with; a test fails if it answered instead. */
const failureOf = (pending: Promise<unknown>): Promise<unknown> =>
  pending.then(
    () => assert.fail('answered'),
    (e: unknown) => e,
  );
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('an answer is read whole: status, lower-cased headers (repeated ones joined), a body sent in several chunks', HANG, async () => {
  await onLoopback((_req, res) => {
    res.writeHead(201, [['X-Repeated', 'a'], ['X-Repeated', 'b'], ['X-Single', 'one']]);
    res.write('{"first":');
    setTimeout(() => res.end('"second"}'), 20);
  }, async (server, pool) => {
    const answer = await exchange(pool, request(server.origin));
    assert.deepEqual(answer.kind === 'answer' && { status: answer.status, body: answer.text, repeated: answer.headers['x-repeated'], single: answer.headers['x-single'] }, {
      status: 201,
      body: '{"first":"second"}',
      repeated: 'a, b',
      single: 'one',
    });
  });
});

test('an empty body is an empty text, not an error', HANG, async () => {
  await onLoopback((_req, res) => res.writeHead(204).end(), async (server, pool) => {
    const answer = await exchange(pool, request(server.origin));
    assert.deepEqual(answer, { kind: 'answer', status: 204, headers: answer.kind === 'answer' ? answer.headers : {}, text: '' });
  });
});

test('the limit: exactly `limit` bytes is an answer, one byte more is too_large with the status, and the connection is dropped', HANG, async () => {
  await onLoopback((req, res) => {
    res.writeHead(200);
    res.end('y'.repeat(req.url === '/over' ? 101 : 100));
  }, async (server, pool) => {
    const exact = await exchange(pool, request(server.origin, { path: '/exact', limit: 100 }));
    assert.equal(exact.kind === 'answer' && exact.text.length, 100);
    const over = await exchange(pool, request(server.origin, { path: '/over', limit: 100 }));
    assert.deepEqual(over, { kind: 'too_large', status: 200 });
  });
});

test('a large answer over the limit stops at the limit even when it arrives in many chunks', HANG, async () => {
  await onLoopback((_req, res) => {
    res.writeHead(200);
    const chunk = 'z'.repeat(64 * 1024);
    let sent = 0;
    const more = (): void => {
      if (sent++ >= 64 || res.destroyed) return void res.end();
      res.write(chunk, () => setImmediate(more));
    };
    more();
  }, async (server, pool) => {
    const answer = await exchange(pool, request(server.origin, { limit: 200 * 1024 }));
    assert.deepEqual(answer, { kind: 'too_large', status: 200 });
    // The connection is closed rather than drained: 4 MiB were on offer.
    for (let i = 0; i < 50 && server.closed() === 0; i++) await sleep(20);
    assert.equal(server.closed(), 1);
  });
});

test('the deadline settles a request Taiga never answers, says so, and closes the connection', HANG, async () => {
  await onLoopback((_req, res, held) => void held.push(res), async (server, pool) => {
    const err = await failureOf(exchange(pool, request(server.origin, { timeoutMs: 80 })));
    assert.ok(err instanceof ExchangeStopped);
    assert.equal(err.by, 'deadline');
    assert.equal(err.message, 'The request was stopped by its deadline.');
    for (let i = 0; i < 50 && server.closed() === 0; i++) await sleep(20);
    assert.equal(server.closed(), 1, 'the held request is aborted, not left open');
  });
});

test('a deadline that fires while the request waits for a connection: the request is never sent', HANG, async () => {
  await onLoopback((_req, res, held) => void held.push(res), async (server, pool) => {
    const first = exchange(pool, request(server.origin, { path: '/first', timeoutMs: 5000 }));
    while (server.received.length === 0) await sleep(10);
    const second = await exchange(pool, request(server.origin, { path: '/second', timeoutMs: 50 })).then(
      () => 'answered',
      (e: unknown) => (e instanceof ExchangeStopped ? e.by : e),
    );
    assert.equal(second, 'deadline');
    server.held[0]!.writeHead(200).end('{}');
    assert.equal((await first).kind, 'answer');
    await sleep(150);
    assert.deepEqual(server.received, ['/first'], 'the stopped request must not reach Taiga once a connection is free');
  }, { connections: 1 });
});

test('a caller abort ends the exchange at once with its reason, and aborts the request', HANG, async () => {
  await onLoopback((_req, res, held) => void held.push(res), async (server, pool) => {
    const caller = new AbortController();
    const pending = exchange(pool, request(server.origin, { signal: caller.signal, timeoutMs: 5000 }));
    while (server.received.length === 0) await sleep(10);
    const reason = new Error('the user cancelled');
    caller.abort(reason);
    const err = await failureOf(pending);
    assert.ok(err instanceof ExchangeStopped);
    assert.equal(err.by, 'caller');
    assert.equal(err.reason, reason);
    assert.equal(err.message, 'The request was stopped by its caller.');
    for (let i = 0; i < 50 && server.closed() === 0; i++) await sleep(20);
    assert.equal(server.closed(), 1);
  });
});

test('a signal aborted before the call sends nothing', HANG, async () => {
  await onLoopback((_req, res) => res.end('{}'), async (server, pool) => {
    const reason = new Error('already');
    const err = await failureOf(exchange(pool, request(server.origin, { signal: AbortSignal.abort(reason) })));
    assert.ok(err instanceof ExchangeStopped && err.by === 'caller' && err.reason === reason);
    await sleep(100);
    assert.deepEqual(server.received, []);
  });
});

test('once settled, no timer and no abort listener is left behind (a long-lived signal is shared by many calls)', HANG, async () => {
  await onLoopback((_req, res) => res.end('{}'), async (server, pool) => {
    const caller = new AbortController();
    const before = timers();
    for (let i = 0; i < 5; i++) await exchange(pool, request(server.origin, { signal: caller.signal, timeoutMs: 60_000 }));
    assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
    assert.equal(timers(), before, 'the deadline timer is cleared once the answer is in');
    // An abort after the answer changes nothing (and throws nothing).
    caller.abort();
  });
});

test('an answer that ends early is the transport error, once', HANG, async () => {
  await onLoopback((_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"partial":');
    setTimeout(() => res.destroy(), 20);
  }, async (server, pool) => {
    const err = await failureOf(exchange(pool, request(server.origin)));
    assert.ok(err instanceof Error && !(err instanceof ExchangeStopped), String(err));
  });
});

test('a dispatcher that throws at dispatch rejects with its error and clears the deadline', HANG, async () => {
  const broken = new Error('no dispatch');
  const dispatcher = {
    dispatch(): boolean {
      throw broken;
    },
  } as unknown as Dispatcher;
  const caller = new AbortController();
  const before = timers();
  await assert.rejects(exchange(dispatcher, request('http://127.0.0.1:9', { signal: caller.signal, timeoutMs: 60_000 })), (e) => e === broken);
  assert.equal(timers(), before);
  assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
});
