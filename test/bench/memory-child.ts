// Child process of the memory measurement (run with --expose-gc): fills a MemoryStore with N
// realistic SessionRecords and prints one JSON line with the memory before and after.
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MemoryStore } from '../../core/sessions/memory-store.js';
import type { NewSession } from '../../core/sessions/types.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const n = Number(process.argv[2] ?? '10000');

/** A flat string, as JSON.parse gives the server (a template literal would leave a cons-string tree). */
const flat = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** A JWT-shaped token of about 250 characters (header.payload.signature, base64url). */
function jwt(): string {
  return flat(`eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${randomBytes(140).toString('base64url')}.${randomBytes(32).toString('base64url')}`);
}

function settle(): NodeJS.MemoryUsage {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage();
}

const apiUrl = 'https://taiga.example.com/api/v1';
const empty = settle();
// The store's LRU caches preallocate their slot arrays, so the empty store is measured apart.
const store = new MemoryStore({ maxSessions: Math.max(100_000, n) });
// Its caches are made at first use: a look-up makes the session caches, measured with the empty store.
await store.getSession('warm-up', 'local');
const before = settle();
const t0 = performance.now();
let payloadChars = 0;
for (let i = 0; i < n; i++) {
  const username = `user${Math.floor(i / 4)}`; // ~4 sessions per user (the default cap is 5)
  const record: NewSession = {
    id: randomUUID(),
    principal: 'local',
    userKey: flat(`${apiUrl}|${username}`.toLowerCase()),
    username,
    userId: 1000 + Math.floor(i / 4),
    apiUrl,
    authToken: jwt(),
    refreshToken: jwt(),
  };
  payloadChars += record.id.length + record.userKey.length + record.username.length + record.authToken.length + (record.refreshToken?.length ?? 0) + 3 * 8 + 8;
  await store.createSession(record, { ttlMs: 28_800_000, maxPerUser: 5 });
}
const fillMs = performance.now() - t0;
const after = settle();
const count = store.countSessions(); // keeps the store alive past the measurement
const token = jwt();
process.stdout.write(
  `${JSON.stringify({
    sessions: count,
    fill_ms: fillMs,
    token_chars: token.length,
    payload_bytes: payloadChars,
    empty_store_heap: before.heapUsed - empty.heapUsed,
    empty_store_external: before.external + before.arrayBuffers - (empty.external + empty.arrayBuffers),
    rss_before: before.rss,
    rss_after: after.rss,
    heap_before: before.heapUsed,
    heap_after: after.heapUsed,
    external_before: before.external + before.arrayBuffers,
    external_after: after.external + after.arrayBuffers,
  })}\n`,
);
await store.close();
