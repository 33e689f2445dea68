import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { createContainer } from 'awilix';
import { compose } from '../../core/pipeline/compose.js';
import { PIPELINE_ORDER } from '../../core/pipeline/order.js';
import { translateError } from '../../core/pipeline/translate-error.js';
import { validate } from '../../core/pipeline/validate.js';
import { rateLimit } from '../../core/pipeline/rate-limit.js';
import { MemoryStore } from '../../core/sessions/memory-store.js';
import { TaigaMcpError } from '../../core/errors.js';
import type { Middleware, ToolCall } from '../../core/pipeline/types.js';
import { redactLog } from '../../core/pipeline/redact-log.js';
import { NO_TELEMETRY } from '../../core/telemetry.js';
import { createLogger } from '../../core/logger.js';
import { Writable } from 'node:stream';

function fakeCall(rawArgs: Record<string, unknown> = {}): ToolCall {
  return {
    tool: { name: 't', annotations: { readOnlyHint: true } } as ToolCall['tool'],
    plugin: 'p',
    rawArgs,
    args: undefined,
    audit: {},
    scope: createContainer(),
    requestId: 'r1',
    signal: new AbortController().signal,
    source: 'test',
    principal: 'local',
    startedAt: performance.now(),
  };
}

test('compose runs middleware as an onion, outermost first', async () => {
  const seen: string[] = [];
  const mw = (name: string): Middleware => async (_c, next) => {
    seen.push(`${name}>`);
    await next();
    seen.push(`<${name}`);
  };
  await compose([mw('a'), mw('b'), mw('c')])(fakeCall());
  assert.deepEqual(seen, ['a>', 'b>', 'c>', '<c', '<b', '<a']);
});

test('compose rejects next() called twice', async () => {
  const twice: Middleware = async (_c, next) => {
    await next();
    await next();
  };
  await assert.rejects(compose([twice, async () => {}])(fakeCall()), /next\(\) called more than once/);
});

test('compose refuses a non-function at composition time', () => {
  assert.throws(() => compose([42 as unknown as Middleware]), (e: TaigaMcpError) => e.code === 'MIDDLEWARE_INVALID');
});

test('the pipeline order is written down once, error translation outermost', () => {
  assert.equal(PIPELINE_ORDER[0], 'translate-error');
  assert.deepEqual(
    PIPELINE_ORDER.filter((s) => !s.startsWith('before-')),
    ['translate-error', 'trace', 'redact-log', 'auth', 'rate-limit', 'validate', 'confirm', 'handler'],
  );
});

test('translate-error hides unexpected exceptions behind INTERNAL, without their message', async () => {
  const call = fakeCall();
  await compose([translateError(), async () => { throw new Error('secret path /etc/x at line 3'); }])(call);
  assert.equal(call.result?.isError, true);
  const text = (call.result?.content[0] as { text: string }).text;
  assert.match(text, /"code":"INTERNAL"/);
  assert.doesNotMatch(text, /secret path/);
});

test('validate names every bad field, unknown ones included', async () => {
  const schema = v.strictObject({ a: v.number(), b: v.pipe(v.string(), v.maxLength(3)) });
  const call = fakeCall({ a: 'x', b: 'toolong', zzz: 1 });
  await compose([translateError(), validate(schema)])(call);
  const payload = JSON.parse((call.result!.content[0] as { text: string }).text).error;
  assert.equal(payload.code, 'INVALID_INPUT');
  assert.deepEqual(Object.keys(payload.details.fields).sort(), ['a', 'b', 'zzz']);
  assert.equal(payload.details.fields.zzz, 'unknown field');
});

test('validate describes a huge string by its length, not by echoing it', async () => {
  const call = fakeCall({ b: 'x'.repeat(1_000_000) });
  await compose([translateError(), validate(v.strictObject({ b: v.pipe(v.string(), v.maxLength(3)) }))])(call);
  const text = (call.result!.content[0] as { text: string }).text;
  assert.ok(text.length < 1000, 'error text stays small');
});

test('rate-limit allows a burst then refuses with a retry time', async () => {
  let now = 1_000_000;
  const stage = rateLimit({ store: new MemoryStore({ now: () => now }), burst: 2, perSecond: 1 });
  const run = compose([stage, async () => {}]);
  const call = () => Object.assign(fakeCall(), { rateKey: 's1' });
  await run(call());
  await run(call());
  await assert.rejects(run(call()), (e: TaigaMcpError) => e.code === 'RATE_LIMITED' && e.details?.['retry_after_seconds'] === 1);
  now += 1000;
  await run(call());
});

test('redact-log records the outcome of failed calls and logs unexpected ones, without their arguments', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const logger = createLogger('debug', sink);
  const writeCall = () => {
    const call = Object.assign(fakeCall({ project_id: 'x'.repeat(50), password: 'hunter2', description: 'secret plans' }), { tool: { name: 'w', annotations: { readOnlyHint: false } } as ToolCall['tool'] });
    call.args = { project_id: 'x'.repeat(50), description: 'secret plans' };
    call.audit.project = 42;
    return call;
  };
  await compose([translateError(), redactLog({ logger, readOnly: false, telemetry: NO_TELEMETRY }), async () => { throw new TaigaMcpError('VERSION_CONFLICT'); }])(writeCall());
  await compose([translateError(), redactLog({ logger, readOnly: false, telemetry: NO_TELEMETRY }), async () => { throw new TypeError('boom at /secret/path'); }])(writeCall());
  const text = lines.join('');
  assert.match(text, /"audit":true[^\n]*"project":42[^\n]*"outcome":"VERSION_CONFLICT"/, 'the audit line names the resolved project, not the raw argument');
  assert.match(text, /"audit":true[^\n]*"outcome":"INTERNAL"/);
  assert.match(text, /tool call failed unexpectedly/);
  assert.match(text, /"tool":"w"[^\n]*"args":\["project_id","description"\][^\n]*"outcome":"VERSION_CONFLICT"[^\n]*"msg":"tool call"/, 'at debug, one line per call naming its arguments');
  assert.doesNotMatch(text, /hunter2|xxxxxxxxxx|secret plans/);
});

test('redact-log writes no per-call line at info level, only the audit line of a write', async () => {
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
  const read = fakeCall({ project_id: 1 });
  await compose([translateError(), redactLog({ logger, readOnly: true, telemetry: NO_TELEMETRY }), async () => undefined])(read);
  assert.deepEqual(lines, []);
});

test('validate refuses text that is not valid Unicode (a lone surrogate) as INVALID_INPUT, naming the field', async () => {
  const call = fakeCall({ project_id: 'ab\ud800', nested: { ['k\udc00']: 1 } });
  await compose([translateError(), validate(v.strictObject({ project_id: v.string() }))])(call);
  const payload = JSON.parse((call.result!.content[0] as { text: string }).text).error;
  assert.equal(payload.code, 'INVALID_INPUT');
  assert.deepEqual(Object.keys(payload.details.fields), ['project_id']);
});

test('an error never echoes more than a bounded part of the input (huge or many unknown keys)', async () => {
  const huge = 'k'.repeat(5_000_000);
  const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`extra_${i}`, i]));
  const call = fakeCall({ [huge]: 1, ...many });
  await compose([translateError(), validate(v.strictObject({ a: v.optional(v.number()) }))])(call);
  const text = (call.result!.content[0] as { text: string }).text;
  assert.ok(text.length < 4000, `error text is ${text.length} characters`);
  assert.ok(Object.keys(JSON.parse(text).error.details.fields).length <= 20);

  const wide = v.strictObject(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, v.number()])));
  const bad = fakeCall(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, 'x'.repeat(1000)])));
  await compose([translateError(), validate(wide)])(bad);
  const payload = JSON.parse((bad.result!.content[0] as { text: string }).text).error;
  assert.equal(Object.keys(payload.details.fields).length, 20);
  assert.equal(payload.details.fields_omitted, 10);
  assert.ok(JSON.stringify(payload).length < 4000);
});
