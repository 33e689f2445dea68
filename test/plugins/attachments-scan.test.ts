import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as v from 'valibot';
import { TaigaMcpError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { clamdAddress, instream, NoVerdict, type ClamdAddress } from '../../plugins/attachments/clamd.js';
import { AttachmentOptions } from '../../plugins/attachments/options.js';
import { scanned } from '../../plugins/attachments/scan.js';
import type { UploadSource } from '../../plugins/attachments/upload-source.js';
import { EICAR, EICAR_SIGNATURE, fakeScanner, startClamd, type Clamd } from '../helpers/clamd.js';

let clamd: Clamd;
before(async () => (clamd = await startClamd()));
after(() => clamd.stop());

const tcp = (address: string) => clamdAddress(address)!;
const never = new AbortController().signal;
const pieces = (...parts: Array<string | Buffer>) => Readable.from(parts.map((p) => Buffer.from(p)));
const noVerdict = (reason: string, message?: RegExp) => (err: unknown) => err instanceof NoVerdict && err.reason === reason && (!message || message.test(err.message));

test('clamd address: host:port, [IPv6]:port or an absolute socket path; anything else is refused by the options schema', () => {
  assert.deepEqual(clamdAddress('127.0.0.1:3310'), { host: '127.0.0.1', port: 3310 });
  assert.deepEqual(clamdAddress('clamav.internal:3310'), { host: 'clamav.internal', port: 3310 });
  assert.deepEqual(clamdAddress('[::1]:3310'), { host: '::1', port: 3310 });
  assert.deepEqual(clamdAddress('/run/clamav/clamd.ctl'), { path: '/run/clamav/clamd.ctl' });
  for (const bad of ['clamd.ctl', 'run/clamav/clamd.ctl', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', 'tcp://127.0.0.1:3310', 'a b:3310', '::1:3310', '']) {
    assert.equal(clamdAddress(bad), undefined, bad);
    assert.equal(v.safeParse(AttachmentOptions, { scan: { clamd: bad } }).success, false, bad);
  }
  const parsed = v.parse(AttachmentOptions, { scan: { clamd: '/run/clamav/clamd.ctl' } });
  assert.deepEqual(parsed.scan, { clamd: '/run/clamav/clamd.ctl', timeoutSeconds: 30, maxBytes: 25 * 1024 * 1024, failOpen: false });
  assert.equal(v.parse(AttachmentOptions, {}).scan, undefined, 'off unless configured');
  for (const scan of [{}, { clamd: '/s', timeoutSeconds: 0 }, { clamd: '/s', maxBytes: 0 }, { clamd: '/s', failOpen: 'yes' }, { clamd: '/s', extra: 1 }]) {
    assert.equal(v.safeParse(AttachmentOptions, { scan }).success, false, JSON.stringify(scan));
  }
});

test('instream: the real clamd judges a stream sent in many pieces, over TCP and the unix socket', async () => {
  const many = () => pieces(...Array.from({ length: 300 }, () => 'clean text '), EICAR.subarray(0, 10), EICAR.subarray(10), 'tail');
  for (const address of [tcp(clamd.tcp), { path: clamd.socket }] as ClamdAddress[]) {
    assert.deepEqual(await instream(address, pieces('hello'), 10_000, never), { clean: true });
    assert.deepEqual(await instream(address, many(), 10_000, never), { clean: false, signature: EICAR_SIGNATURE });
    // One piece of 200 000 bytes goes as 64 KiB chunks, each with its length.
    assert.deepEqual(await instream(address, pieces(Buffer.concat([Buffer.alloc(199_000, 'x'), EICAR])), 10_000, never), { clean: false, signature: EICAR_SIGNATURE });
  }
  await assert.rejects(instream({ path: join(tmpdir(), 'taiga-mcp-no-such-socket') }, pieces('x'), 10_000, never), noVerdict('unreachable'));
});

test('instream: a scanner that is not clamd (an endless reply, no reply, an unknown one) gives no verdict; what it says is read only up to 4 KiB', async () => {
  const cases: Array<[(s: import('node:net').Socket) => void, string, RegExp]> = [
    [(s) => s.write(Buffer.alloc(5000, 'a')), 'error', /a reply longer than 4096 bytes/],
    [(s) => s.end(), 'error', /closed without a verdict/],
    [(s) => s.end('UNKNOWN COMMAND\0'), 'error', /clamd answered "UNKNOWN COMMAND"/],
    [(s) => s.end('stream: OK'), 'error', /closed without a verdict/], // a reply without its NUL may be cut short
    [(s) => s.end('INSTREAM size limit exceeded. ERROR\0'), 'too_large', /size limit exceeded/],
    [(s) => s.write('\0'), 'error', /^clamd answered ""$/], // an empty reply is an answer too: not waited on until the timeout
    [(s) => s.end('1: stream: X FOUND\0'), 'error', /^clamd answered "1: stream: X FOUND"$/],
    [(s) => s.end('stream: X FOUND, or not\0'), 'error', /^clamd answered "stream: X FOUND, or not"$/],
    // 4096 bytes without their NUL are still waited on; the answer is then shown cut to 200 characters.
    [(s) => (s.write(Buffer.alloc(4096, 'a')), setTimeout(() => s.end('\0'), 100)), 'error', new RegExp(`^clamd answered "${'a'.repeat(200)}"$`)],
  ];
  for (const [behave, reason, message] of cases) {
    const scanner = await fakeScanner(behave);
    try {
      await assert.rejects(instream(tcp(scanner.address), pieces('hello'), 10_000, never), noVerdict(reason, message), String(message));
    } finally {
      await scanner.close();
    }
  }
  const found = await fakeScanner((s) => s.end('stream: Some <b>Thing</b> FOUND\0'));
  assert.deepEqual(await instream(tcp(found.address), pieces('x'), 10_000, never), { clean: false, signature: 'Some <b>Thing</b>' });
  await found.close();
  // clamd's n-prefixed replies end in a newline: the line is read without it.
  const newline = await fakeScanner((s) => s.end('stream: OK\n\0'));
  try {
    assert.deepEqual(await instream(tcp(newline.address), pieces('x'), 10_000, never), { clean: true });
  } finally {
    await newline.close();
  }
});

test('instream: once the scanner has answered, nothing more is read or sent; a cancelled scan stops at once', async () => {
  const early = await fakeScanner((s) => s.once('data', () => s.write('stream: Early FOUND\0')));
  let released = false;
  async function* endless() {
    try {
      for (;;) {
        yield Buffer.alloc(1024 * 1024, 'e'); // many chunks each
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      released = true;
    }
  }
  try {
    assert.deepEqual(await instream(tcp(early.address), endless(), 10_000, never), { clean: false, signature: 'Early' });
    for (let i = 0; i < 100 && !released; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(released, 'the source is let go: not read to its end, not left waiting');
  } finally {
    await early.close();
  }

  // A scanner that stops reading and then drops the connection while a write waits for room: the source is let go too.
  released = false;
  const stalled = await fakeScanner((s) => (s.pause(), setTimeout(() => s.destroy(), 300)));
  try {
    await assert.rejects(instream(tcp(stalled.address), endless(), 10_000, never), noVerdict('error', /closed without a verdict/));
    for (let i = 0; i < 100 && !released; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(released, 'the source is let go once the connection is gone');
  } finally {
    await stalled.close();
  }

  const silent = await fakeScanner();
  try {
    const controller = new AbortController();
    const pending = instream(tcp(silent.address), pieces('x'), 60_000, controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled by the client')), 50);
    await assert.rejects(pending, /cancelled by the client/);
    await assert.rejects(instream(tcp(silent.address), pieces('x'), 60_000, AbortSignal.abort(new Error('already cancelled'))), /already cancelled/);
    await assert.rejects(instream(tcp(silent.address), pieces('x'), 200, never), noVerdict('timeout'));
  } finally {
    await silent.close();
  }
});

test('scanned: a file that grows or shrinks while it is copied and scanned is refused, and its copy removed', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'taiga-mcp-scan-unit-'));
  const tmp = process.env['TMPDIR'];
  process.env['TMPDIR'] = folder;
  const log = createLogger('silent');
  const onDisk = (size: number, bytes: number): UploadSource => ({
    name: 'a.txt', contentType: 'text/plain', size, fixed: false, open: () => Readable.from([Buffer.alloc(bytes, 'a')]), close: async () => undefined,
  });
  try {
    const scan = { clamd: clamd.tcp, timeoutSeconds: 10, maxBytes: 1_000_000, failOpen: true };
    // The file on disk changes once it has been read for the scan: what is sent is still what was scanned.
    let opened = 0;
    const changing = { ...onDisk(1000, 1000), open: () => Readable.from([Buffer.alloc(1000, opened++ === 0 ? 'a' : 'b')]) };
    const same = await scanned(changing, scan, { log, signal: never });
    assert.equal(readdirSync(folder).length, 1, 'the private copy, until the upload is done');
    assert.deepEqual(Buffer.concat(await same.open().toArray()), Buffer.alloc(1000, 'a'));
    assert.deepEqual(Buffer.concat(await same.open().toArray()), Buffer.alloc(1000, 'a'), 'and again, for a second attempt');
    assert.equal(opened, 1);
    await same.close();
    for (const [size, bytes] of [[1000, 1001], [1000, 999], [1000, 100_000]]) {
      await assert.rejects(scanned(onDisk(size!, bytes!), scan, { log, signal: never }), (err: unknown) =>
        err instanceof TaigaMcpError && err.code === 'INVALID_INPUT' && err.message === 'the file changed while it was being read', `${size} → ${bytes}`);
    }
    // A file that keeps growing is not copied past its size (failOpen would otherwise send it once the scan timed out).
    let pulled = 0;
    const growing = { ...onDisk(1000, 0), open: () => Readable.from((function* () { for (;;) yield (pulled++, Buffer.alloc(1000, 'g')); })()) };
    await assert.rejects(scanned(growing, scan, { log, signal: never }), /the file changed while it was being read/);
    assert.ok(pulled < 20, `read no further than a chunk past its size (and the stream's read-ahead), not ${pulled} chunks`);
    assert.deepEqual(readdirSync(folder), []);
    const infected = { ...onDisk(EICAR.length, 0), open: () => Readable.from([EICAR]) };
    await assert.rejects(scanned(infected, scan, { log, signal: never }), (err: unknown) => err instanceof TaigaMcpError && err.code === 'UPLOAD_INFECTED');
    assert.deepEqual(readdirSync(folder), []);
  } finally {
    if (tmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = tmp;
  }
});

/** The refusal scanned() gives, as the agent reads it. */
const refusal = (err: unknown) => err instanceof TaigaMcpError ? { code: err.code, message: err.message, hint: err.hint, details: err.details } : err;
const inMemory = (data: Buffer): UploadSource => ({ name: 'a.txt', contentType: 'text/plain', size: data.length, fixed: true, open: () => Readable.from([data]), close: async () => undefined });
/** The catalog's hint for SCAN_UNAVAILABLE; the one for a file too large replaces it. */
const RETRY_HINT = 'Try again in a little while; if it persists, tell the operator (details.reason: the clamd behind this server is unreachable, slow or failing).';
const scanOf = (address: string, more: { failOpen?: boolean; maxBytes?: number } = {}) => ({ clamd: address, timeoutSeconds: 10, maxBytes: 1_000_000, failOpen: false, ...more });

test('instream: a scanner that cuts the connection after it was reached gives no verdict as an error, not as unreachable', async () => {
  const cut = await fakeScanner((s) => s.once('data', () => s.resetAndDestroy()));
  try {
    await assert.rejects(instream(tcp(cut.address), pieces('hello'), 10_000, never), noVerdict('error', /^the connection closed without a verdict$/));
  } finally {
    await cut.close();
  }
  await assert.rejects(instream(tcp('127.0.0.1:1'), pieces('x'), 10_000, never), noVerdict('unreachable', /^ECONNREFUSED$/));
});

test('scanned: failOpen lets through only a scanner that cannot be reached or is slow; a scanner that fails or refuses the size is a refusal even then', async () => {
  const log = createLogger('silent');
  const failed = { code: 'SCAN_UNAVAILABLE', message: 'The virus scanner failed, so the file was not uploaded.', hint: RETRY_HINT, details: { reason: 'error' } };
  const tooLarge = {
    code: 'SCAN_UNAVAILABLE', message: 'The virus scanner does not accept a file this large, so the file was not uploaded.', details: { reason: 'too_large' },
    hint: 'Send a smaller file, or ask the operator to raise clamd\'s StreamMaxLength and plugins.options.attachments.scan.maxBytes together.',
  };
  const cases: Array<[(s: import('node:net').Socket) => void, object]> = [
    [(s) => s.once('data', () => s.resetAndDestroy()), failed],
    [(s) => s.end('UNKNOWN COMMAND\0'), failed],
    [(s) => s.end('INSTREAM size limit exceeded. ERROR\0'), tooLarge],
  ];
  for (const [behave, expected] of cases) {
    const scanner = await fakeScanner(behave);
    try {
      for (const failOpen of [false, true]) {
        const err = await scanned(inMemory(Buffer.from('hello')), scanOf(scanner.address, { failOpen }), { log, signal: never }).then(() => 'let through', refusal);
        assert.deepEqual(err, expected, `failOpen ${failOpen}`);
      }
    } finally {
      await scanner.close();
    }
  }
  const source = inMemory(Buffer.from('hello'));
  assert.equal(await scanned(source, scanOf('127.0.0.1:1', { failOpen: true }), { log, signal: never }), source, 'unreachable, failOpen: sent as it is');
  assert.deepEqual(await scanned(source, scanOf('127.0.0.1:1'), { log, signal: never }).then(() => 'let through', refusal),
    { code: 'SCAN_UNAVAILABLE', message: 'The virus scanner is not reachable, so the file was not uploaded.', hint: RETRY_HINT, details: { reason: 'unreachable' } });
});

test('scanned: a file of exactly scan.maxBytes is scanned, one byte more is refused before the scanner is asked; content in memory is not copied', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'taiga-mcp-scan-unit-'));
  const tmp = process.env['TMPDIR'];
  process.env['TMPDIR'] = folder;
  const log = createLogger('silent');
  try {
    const atLimit = inMemory(Buffer.alloc(1000, 'a'));
    const through = await scanned(atLimit, scanOf(clamd.tcp, { maxBytes: 1000 }), { log, signal: never });
    assert.equal(through, atLimit, 'the bytes in memory cannot change: sent as they are');
    assert.deepEqual(readdirSync(folder), [], 'no private copy of content that is in memory');
    const silent = await fakeScanner();
    try {
      const over = await scanned(inMemory(Buffer.alloc(1001, 'a')), scanOf(silent.address, { maxBytes: 1000, failOpen: true }), { log, signal: never }).then(() => 'let through', refusal);
      assert.deepEqual((over as { details: unknown }).details, { reason: 'too_large' });
      assert.equal(silent.received(), 0, 'nothing was sent to the scanner');
    } finally {
      await silent.close();
    }
  } finally {
    if (tmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = tmp;
  }
});

test('scanned: the private copy of a file on disk is readable by this user only, in a folder of its own', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'taiga-mcp-scan-unit-'));
  const tmp = process.env['TMPDIR'];
  process.env['TMPDIR'] = folder;
  try {
    const onDisk: UploadSource = { ...inMemory(Buffer.alloc(100, 'd')), fixed: false };
    const copy = await scanned(onDisk, scanOf(clamd.tcp), { log: createLogger('silent'), signal: never });
    const [dir] = readdirSync(folder);
    assert.equal(statSync(join(folder, dir!)).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(join(folder, dir!)), ['upload']);
    assert.equal(statSync(join(folder, dir!, 'upload')).mode & 0o777, 0o600);
    await copy.close();
    assert.deepEqual(readdirSync(folder), []);
    // No scanner: refused, or with failOpen sent from the file itself; either way no copy is left.
    const log = createLogger('silent');
    assert.deepEqual(await scanned(onDisk, scanOf('127.0.0.1:1'), { log, signal: never }).then(() => 'let through', refusal),
      { code: 'SCAN_UNAVAILABLE', message: 'The virus scanner is not reachable, so the file was not uploaded.', hint: RETRY_HINT, details: { reason: 'unreachable' } });
    assert.equal(await scanned(onDisk, scanOf('127.0.0.1:1', { failOpen: true }), { log, signal: never }), onDisk);
    assert.deepEqual(readdirSync(folder), []);
  } finally {
    if (tmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = tmp;
  }
});
