import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
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
    const same = await scanned(onDisk(1000, 1000), scan, { log, signal: never });
    assert.equal(readdirSync(folder).length, 1, 'the private copy, until the upload is done');
    assert.deepEqual(Buffer.concat(await same.open().toArray()), Buffer.alloc(1000, 'a'));
    await same.close();
    for (const [size, bytes] of [[1000, 1001], [1000, 999], [1000, 100_000]]) {
      await assert.rejects(scanned(onDisk(size!, bytes!), scan, { log, signal: never }), (err: unknown) =>
        err instanceof TaigaMcpError && err.code === 'INVALID_INPUT' && err.message === 'the file changed while it was being read', `${size} → ${bytes}`);
    }
    // A file that keeps growing is not copied past its size (failOpen would otherwise send it once the scan timed out).
    const growing = { ...onDisk(1000, 0), open: () => Readable.from((function* () { for (;;) yield Buffer.alloc(1000, 'g'); })()) };
    await assert.rejects(scanned(growing, scan, { log, signal: never }), /the file changed while it was being read/);
    assert.deepEqual(readdirSync(folder), []);
    const infected = { ...onDisk(EICAR.length, 0), open: () => Readable.from([EICAR]) };
    await assert.rejects(scanned(infected, scan, { log, signal: never }), (err: unknown) => err instanceof TaigaMcpError && err.code === 'UPLOAD_INFECTED');
    assert.deepEqual(readdirSync(folder), []);
  } finally {
    if (tmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = tmp;
  }
});
