import type { Logger } from '../logger.js';

/** Which Redis: one server, a Redis Cluster (some of its nodes), or a master watched by Sentinels. */
export type RedisTarget = { url: string } | { cluster: string[] } | { sentinel: { name: string; nodes: string[] } };

type SetOptions = { condition?: 'NX'; expiration: { type: 'PX'; value: number } };
type ScriptCall = { keys: string[]; arguments: string[] };

/** The commands the store sends; the same on a client, a cluster (routed by the first key) and a sentinel. */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: SetOptions): Promise<string | null>;
  del(key: string): Promise<number>;
  hmGet(key: string, fields: string[]): Promise<Array<string | null>>;
  evalSha(sha: string, options: ScriptCall): Promise<unknown>;
  eval(script: string, options: ScriptCall): Promise<unknown>;
  time(): Promise<[string, string]>;
}

type Scanning = { scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string | string[]> };
type Pinging = { ping(): Promise<string> };
type Closing = { close(): Promise<void>; destroy(): void | Promise<void>; isOpen: boolean };
type Events = { on(event: string, listener: (...args: never[]) => void): unknown };

export interface RedisConnection {
  readonly commands: RedisCommands;
  /** The keys matching `pattern` on every master (a cluster's keys are spread over its masters). */
  scan(pattern: string): AsyncIterable<string[]>;
  /** Whether every master answers (and a cluster says it serves all its slots). */
  ping(): Promise<boolean>;
  /** An operation got no answer in time: a cluster asks its nodes again which masters serve which slots. */
  stalled(): void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  target: RedisTarget;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  logger: Logger;
}

/** How long to wait before the next attempt to reach Redis: doubling from 50 ms, at most 2 s. */
export function backoffMs(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2000);
}

/** The credentials and TLS of a redis:// or rediss:// URL, for the connections made to discovered nodes. */
function access(url: string): { username?: string; password?: string; tls: boolean } {
  const u = new URL(url);
  return {
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    tls: u.protocol === 'rediss:',
  };
}

/**
 * Connects (waiting a little for it) to the configured Redis; one that is not there does not stop
 * start-up: the connection keeps trying in the background and the store answers STORE_UNAVAILABLE.
 *
 * node-redis's command timeout covers only the wait before a command is written: one written to a
 * server that has stopped answering (frozen, or cut off) waits for its reply forever. So the store
 * answers its caller at its own deadline (redis-store.ts), and then a cluster looks again for its
 * masters: it finds the replica promoted in place of a frozen master, and drops the frozen one.
 * A connection silent for twice the deadline is dropped: the cluster's search for its masters may
 * ask the frozen node first, and would otherwise wait on it for good (one search at a time).
 */
export async function connectRedis(opts: ConnectOptions): Promise<RedisConnection> {
  // CommonJS: Node's import() gives its exports as named ones and as `default`, a bundle's chunk only as `default`.
  const redis = (await import('@redis/client')).default;
  const { target, commandTimeoutMs, connectTimeoutMs } = opts;
  const socket = {
    connectTimeout: connectTimeoutMs,
    socketTimeout: 2 * commandTimeoutMs,
    reconnectStrategy: backoffMs,
  };
  const node = {
    // Fail fast while disconnected rather than queue calls that their callers have given up on.
    disableOfflineQueue: true,
    // Keeps an idle connection from looking silent (socketTimeout above).
    pingInterval: commandTimeoutMs,
  };
  // Stryker disable next-line ObjectLiteral: with the offline queue off a command is written at once or refused, so it never waits unwritten long enough for this timeout; kept as a bound should that change
  const commandOptions = { timeout: commandTimeoutMs };
  let connection: RedisConnection;
  let handle: Closing & Events & { connect(): Promise<unknown> };
  if ('url' in target) {
    const client = redis.createClient({ url: target.url, ...node, commandOptions, socket });
    handle = client as unknown as typeof handle;
    connection = {
      commands: client as unknown as RedisCommands,
      scan: (pattern) => batches((client as unknown as Scanning).scanIterator({ MATCH: pattern, COUNT: 500 })),
      ping: async () => (await client.ping()) === 'PONG',
      stalled: () => undefined,
      close: () => closeHandle(handle),
    };
  } else if ('cluster' in target) {
    const { tls, ...credentials } = access(target.cluster[0]!);
    const cluster = redis.createCluster({
      rootNodes: target.cluster.map((url) => ({ url })),
      defaults: { ...credentials, ...node, socket: { ...socket, tls } as typeof socket },
      commandOptions,
      // A master that dropped its connection may have been replaced: look again after a second, not five.
      topologyRefreshOnReconnectionAttemptStrategy: 1000,
    });
    handle = cluster as unknown as typeof handle;
    const masters = async () => Promise.all(cluster.masters.map((m) => cluster.nodeClient(m)));
    connection = {
      commands: cluster as unknown as RedisCommands,
      scan: async function* (pattern) {
        for (const client of await masters()) yield* batches((client as unknown as Scanning).scanIterator({ MATCH: pattern, COUNT: 500 }));
      },
      ping: async () => {
        const clients = await masters();
        // A master that does not answer rejects its PING: answered, each one is a PONG.
        await Promise.all(clients.map((c) => (c as unknown as Pinging).ping()));
        const info = String(await clients[0]!.sendCommand(['CLUSTER', 'INFO']));
        return /cluster_state:ok/.test(info);
      },
      // node-redis's own refresh (one at a time), as after a MOVED reply: no public call does it.
      stalled: () => void cluster._slots.rediscover().catch(() => undefined),
      close: () => closeHandle(handle),
    };
  } else {
    const { tls, ...credentials } = access(target.sentinel.nodes[0]!);
    const sentinel = redis.createSentinel({
      name: target.sentinel.name,
      sentinelRootNodes: target.sentinel.nodes.map((url) => {
        const u = new URL(url);
        return { host: u.hostname, port: Number(u.port || 26379) };
      }),
      sentinelClientOptions: { ...credentials, socket: { ...socket, tls } as typeof socket },
      nodeClientOptions: { ...credentials, ...node, socket: { ...socket, tls } as typeof socket },
      commandOptions,
      masterPoolSize: 1,
      // Ask the Sentinels for the master every second: a failover is then seen even without an event.
      scanInterval: 1000,
    });
    handle = sentinel as unknown as typeof handle;
    connection = {
      commands: sentinel as unknown as RedisCommands,
      scan: (pattern) => batches((sentinel as unknown as Scanning).scanIterator({ MATCH: pattern, COUNT: 500 })),
      ping: async () => (await (sentinel as unknown as Pinging).ping()) === 'PONG',
      // The Sentinels announce a new master (and are asked every second): nothing to look for.
      stalled: () => undefined,
      close: () => closeHandle(handle),
    };
  }
  watch(handle, opts.logger);
  const state: { closed?: true } = {};
  const close = connection.close;
  connection.close = () => {
    state.closed = true;
    return close();
  };
  const connected = connectInBackground(handle, state, opts.logger);
  const timer = new Promise<boolean>((resolve) => setTimeout(resolve, connectTimeoutMs, false).unref());
  if (!(await Promise.race([connected, timer]))) opts.logger.warn('Redis not reachable at start-up; retrying in the background');
  return connection;
}

async function* batches(scan: AsyncIterable<string | string[]>): AsyncIterable<string[]> {
  for await (const batch of scan) yield ([] as string[]).concat(batch);
}

/** close() lets the replies still due arrive, and also ends a handle that is down or still trying. */
async function closeHandle(handle: Closing): Promise<void> {
  // Stryker disable next-line ArrowFunction: a fallback for a close() that fails; no state the tests can reach makes it fail
  await handle.close().catch(() => handle.destroy());
}

/** One line when Redis goes away and one when it is back, not one per reconnection attempt. */
function watch(handle: Events, logger: Logger): void {
  let up = true;
  const down = (err: unknown) => {
    if (up) logger.warn({ err: String((err as Error)?.message ?? err).slice(0, 200) }, 'Redis unreachable: tool calls answer STORE_UNAVAILABLE until it is back');
    up = false;
  };
  const back = () => {
    if (!up) logger.info('Redis reachable again');
    up = true;
  };
  handle.on('error', down);
  handle.on('node-error', down);
  handle.on('ready', back);
  handle.on('node-ready', back);
}

/**
 * A single client retries by itself; a cluster or sentinel whose first connect failed (no node
 * answered) stays closed, so it is tried again until it connects or the store is closed.
 */
type Connecting = Closing & { connect(): Promise<unknown> };

function connectInBackground(handle: Connecting, state: { closed?: true }, logger: Logger): Promise<boolean> {
  return handle.connect().then(
    () => true,
    (err: unknown) => {
      retry(handle, state, logger, 1, err);
      return false;
    },
  );
}

function retry(handle: Connecting, state: { closed?: true }, logger: Logger, attempt: number, err: unknown): void {
  if (attempt === 1) logger.debug({ err: String((err as Error)?.message ?? err).slice(0, 200) }, 'Redis: first connection failed; trying again');
  setTimeout(() => {
    if (state.closed || handle.isOpen) return;
    // Stryker disable next-line ArithmeticOperator: counting down only shortens the waits between attempts (timing, not asserted); attempt 1 is still logged once
    handle.connect().catch((e: unknown) => retry(handle, state, logger, attempt + 1, e));
  }, backoffMs(attempt)).unref();
}
