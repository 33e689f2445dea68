// 10. The default tool-call limit under load: 100 principals (an API key each) call one tool
// through one server as their limit allows (burst 60, then 10/s: the defaults, nothing set), each
// waiting the retry_after_seconds it is told when refused, as a well-behaved agent does; with the
// in-memory store and with Redis. What each was granted is checked against the token bucket:
// never more than burst + rate × its elapsed time (over budget), and never much less (starved).
// The calls name no user story, so that what is measured is the limiter and not the Taiga behind it:
// the limit is the stage before validation, and a call it lets through is answered INVALID_INPUT
// without a Taiga request (100 principals × 10/s is more real Taiga calls than this machine serves).
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { startHttpMcp, type HttpMcp } from '../helpers/http-server.js';
import { testRedisUrl } from '../helpers/redis-server.js';
import { round } from './util.js';

const BURST = 60;
const PER_SECOND = 10;
/** Principals start one after another, this far apart, each calling for `seconds`: at any time about seconds / STAGGER of them are at their limit, which keeps the load within what one server on this machine answers. */
const STAGGER_MS = 200;

export interface RateLimitRun {
  store: string;
  principals: number;
  /** How long each principal calls. */
  seconds: number;
  /** Calls let through in all, and refused with RATE_LIMITED. */
  granted: number;
  refused: number;
  /** Other failures (should be 0). */
  errors: number;
  /** Principals that the limit refused at least once (the limit was reached). */
  limited: number;
  /** Principals granted more than burst + rate × elapsed: must be 0. */
  over_budget: number;
  /** Principals refused while a token was surely theirs (burst + rate × the least time the server can have seen − granted ≥ 1): must be 0. */
  starved: number;
  /** The largest excess over the budget, in calls (≤ 0 when the limit holds). */
  max_excess: number;
  /** The most and the least a principal was granted, as a share of its budget. */
  max_share: number;
  min_share: number;
}
export interface RateLimitResult {
  burst: number;
  per_second: number;
  runs: RateLimitRun[];
}

type Answer = { ok: true } | { ok: false; retryAfterSeconds?: number };

interface Tally {
  granted: number;
  refused: number;
  errors: number;
  /** Refused while burst + rate × (send − first answer) − granted ≥ 1. */
  wronglyRefused: number;
  firstSent: number;
  firstAnswered: number;
  lastAnswered: number;
}

/** One principal: from `start`, a call after each answer until `until`; when refused, the wait it was told. */
async function principalLoop(call: () => Promise<Answer>, start: number, until: number): Promise<Tally> {
  await new Promise((r) => setTimeout(r, Math.max(0, start - performance.now())));
  const tally: Tally = { granted: 0, refused: 0, errors: 0, wronglyRefused: 0, firstSent: performance.now(), firstAnswered: 0, lastAnswered: 0 };
  while (performance.now() < until) {
    const sent = performance.now();
    const answer: Answer = await call().catch((): Answer => ({ ok: false }));
    tally.lastAnswered = performance.now();
    tally.firstAnswered ||= tally.lastAnswered;
    if (answer.ok) tally.granted += 1;
    else if (answer.retryAfterSeconds !== undefined) {
      // The server took the first token before the first answer came, and this one after `sent`:
      // at least this much time passed between them on its clock, and a token was refilled for each tenth of it.
      const least = Math.max(0, (sent - tally.firstAnswered) / 1000);
      if (BURST + PER_SECOND * least - tally.granted >= 1.01) tally.wronglyRefused += 1;
      tally.refused += 1;
      const wait = Math.min(answer.retryAfterSeconds * 1000, until - performance.now());
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    } else tally.errors += 1;
  }
  return tally;
}

async function drive(server: HttpMcp, keys: ReadonlyArray<{ key: string }>, seconds: number, store: string): Promise<RateLimitRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: keys.length });
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_user_story', arguments: {} } });
  const url = new URL(server.mcpUrl);
  const call = (key: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          // Let through by the limit: INVALID_INPUT from the validation after it.
          if (res.statusCode === 200 && text.includes('INVALID_INPUT')) return resolve({ ok: true });
          const retry = /RATE_LIMITED.*?retry_after_seconds\\?":(\d+)/.exec(text);
          resolve(retry ? { ok: false, retryAfterSeconds: Number(retry[1]) } : { ok: false });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    const t0 = performance.now() + 100;
    const tallies = await Promise.all(keys.map(({ key }, i) => principalLoop(() => call(key), t0 + i * STAGGER_MS, t0 + i * STAGGER_MS + seconds * 1000)));
    let overBudget = 0;
    let maxExcess = -Infinity;
    const shares: number[] = [];
    for (const t of tallies) {
      // The client's elapsed time holds the server's (first call in, last call out): a budget from it is never too small.
      const budget = BURST + Math.floor((PER_SECOND * (t.lastAnswered - t.firstSent)) / 1000);
      maxExcess = Math.max(maxExcess, t.granted - budget);
      if (t.granted > budget) overBudget += 1;
      shares.push(t.granted / budget);
    }
    const count = (pick: (t: Tally) => number) => tallies.reduce((n, t) => n + pick(t), 0);
    return {
      store,
      principals: keys.length,
      seconds,
      granted: count((t) => t.granted),
      refused: count((t) => t.refused),
      errors: count((t) => t.errors),
      limited: count((t) => (t.refused > 0 ? 1 : 0)),
      over_budget: overBudget,
      starved: count((t) => (t.wronglyRefused > 0 ? 1 : 0)),
      max_excess: maxExcess,
      max_share: round(Math.max(...shares), 3),
      min_share: round(Math.min(...shares), 3),
    };
  } finally {
    agent.destroy();
  }
}

async function run(emulator: Emulator, store: string, principals: number, seconds: number, config: Record<string, unknown>, env: Record<string, string>): Promise<RateLimitRun> {
  const keys = Array.from({ length: principals }, () => newApiKey());
  const server = await startHttpMcp({ emulator, config, env: { LOG_LEVEL: 'info', ...env }, http: { auth: { apiKeys: keys.map((k, i) => ({ sha256: k.sha256, principal: `member-${i}` })) } } });
  try {
    return await drive(server, keys, seconds, store);
  } finally {
    await server.stop();
  }
}

export async function measureRateLimits(principals = 100, seconds = 4): Promise<RateLimitResult> {
  const emulator = await startEmulator({ record: false });
  try {
    const memory = await run(emulator, 'in-memory store', principals, seconds, {}, {});
    const redis = await run(emulator, 'Redis store', principals, seconds, { store: { kind: 'redis', url: await testRedisUrl(), keyPrefix: `bench${randomBytes(3).toString('hex')}:` } }, { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') });
    return { burst: BURST, per_second: PER_SECOND, runs: [memory, redis] };
  } finally {
    await emulator.close();
  }
}

if (process.argv[1]?.endsWith('rate-limits.js')) process.stdout.write(`${JSON.stringify(await measureRateLimits(), null, 2)}\n`);
