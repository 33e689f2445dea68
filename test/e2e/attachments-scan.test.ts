import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { fakeScanner, startClamd, EICAR, EICAR_SIGNATURE, HASHED, HASHED_SIGNATURE, type Clamd } from '../helpers/clamd.js';
import { legacyHttpClient, startHttpMcp } from '../helpers/http-server.js';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';

const sandbox = mkdtempSync(join(tmpdir(), 'taiga-mcp-scan-test-'));
const roots = join(sandbox, 'uploads');
/** The spawned servers' TMPDIR: where the private copies of scanned files go, and must not stay. */
const serverTmp = join(sandbox, 'tmp');
for (const dir of [roots, serverTmp]) mkdirSync(dir);
const clean = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
writeFileSync(join(roots, 'clean.pdf'), clean);
/** EICAR across the second 64 KiB chunk boundary: found only if the chunks reach clamd as one stream. */
const straddling = Buffer.concat([Buffer.alloc(131_072 - 30, 'a'), EICAR, Buffer.alloc(1000, 'b')]);
writeFileSync(join(roots, 'straddling.txt'), straddling);
writeFileSync(join(roots, 'hashed.pdf'), HASHED);

/** clamd refuses streams over 1 MiB; uploads may be 2 MB. */
const MAX_UPLOAD = 2_000_000;
let clamd: Clamd;
let h: Harness;

const configFile = (name: string, attachments: Record<string, unknown>): string => {
  const file = join(sandbox, `${name}.json`);
  writeFileSync(file, JSON.stringify({ plugins: { options: { attachments: { uploadRoots: [roots], maxUploadBytes: MAX_UPLOAD, ...attachments } } } }));
  return file;
};
const env = (config: string) => ({ TAIGA_TOOLSETS: 'all', TAIGA_MCP_CONFIG: config, TMPDIR: serverTmp, TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' });
const scanning = (name: string, scan: Record<string, unknown>, emulator?: Emulator) => startHarness({ env: env(configFile(name, { scan })), ...(emulator && { emulator }) });
let configs = 0;
/** Two servers with these scan options on one fresh emulator; they, the emulator and `also` are closed after `run`. */
async function withServers(scans: [Record<string, unknown>, Record<string, unknown>], run: (a: Harness, b: Harness, emulator: Emulator) => Promise<void>, also: Array<{ close(): Promise<void> }> = []): Promise<void> {
  const emulator = await startEmulator();
  const [a, b] = [await scanning(`pair-${++configs}`, scans[0], emulator), await scanning(`pair-${++configs}`, scans[1], emulator)];
  try {
    await run(a, b, emulator);
  } finally {
    for (const it of [a, b, emulator, ...also]) await it.close();
  }
}

before(async () => {
  clamd = await startClamd({ streamMaxLength: '1M' });
  h = await scanning('tcp', { clamd: clamd.tcp });
});
after(async () => {
  await h.close();
  await clamd.stop();
});

const upload = (on: Pick<Harness, 'call'>, args: Record<string, unknown>) => on.call('upload_attachment', { kind: 'user_story', item_id: 3, ...args });
const inline = (data: Buffer, filename = 'file.txt') => ({ content_base64: data.toString('base64'), filename });
/** The bytes Taiga keeps for an attachment, read back through the server. */
async function stored(on: Pick<Harness, 'call'>, id: number): Promise<Buffer> {
  const got = await on.call('download_attachment', { kind: 'user_story', attachment_id: id });
  return Buffer.from((got.content.find((c) => c.type === 'resource') as { resource: { blob: string } }).resource.blob, 'base64');
}
/** The call's answer, with a check that Taiga was asked nothing at all during it. */
async function unseenByTaiga(emulator: Emulator, call: () => Promise<CallToolResult>): Promise<CallToolResult> {
  const [requests, writes] = [emulator.totalRequests, emulator.totalWrites];
  const result = await call();
  assert.equal(emulator.totalRequests - requests, 0, 'Taiga was asked nothing');
  assert.equal(emulator.totalWrites, writes);
  return result;
}

test('scan: a clean file is uploaded, from content_base64 and from a path, byte for byte; no copy stays behind', async () => {
  const up = dataOf<{ id: number; size: number }>(await upload(h, inline(Buffer.from('nothing to see'))));
  assert.deepEqual(await stored(h, up.id), Buffer.from('nothing to see'));
  const file = dataOf<{ id: number; size: number }>(await upload(h, { path: join(roots, 'clean.pdf') }));
  assert.deepEqual(await stored(h, file.id), clean);
  assert.deepEqual(readdirSync(serverTmp), [], 'the private copy is removed');
});

test('scan: a finding is refused with UPLOAD_INFECTED naming the signature, and Taiga sees nothing; the server goes on', async () => {
  dataOf(await upload(h, inline(Buffer.from('warm up the session'))));
  const cases: Array<[Record<string, unknown>, string]> = [
    [inline(EICAR, 'eicar.txt'), EICAR_SIGNATURE],
    [inline(straddling, 'straddling.txt'), EICAR_SIGNATURE],
    [{ path: join(roots, 'straddling.txt') }, EICAR_SIGNATURE],
    [{ path: join(roots, 'hashed.pdf') }, HASHED_SIGNATURE],
  ];
  for (const [args, signature] of cases) {
    const err = errorOf(await unseenByTaiga(h.emulator, () => upload(h, args)));
    assert.equal(err.code, 'UPLOAD_INFECTED', JSON.stringify(args).slice(0, 100));
    assert.deepEqual(err.details, { signature });
    assert.equal(err.message, `The virus scanner found "${signature}" in the file; nothing was sent to Taiga.`);
  }
  assert.match(h.stderr(), new RegExp(`"signature":"${HASHED_SIGNATURE.replace(/\./g, '\\.')}"[^\n]*upload refused: the virus scanner found something`));
  assert.deepEqual(readdirSync(serverTmp), [], 'the private copy of a refused file is removed');
  dataOf(await upload(h, inline(Buffer.from('still serving'))));
});

test('scan: a file over scan.maxBytes is refused before it is sent; a clamd with a lower StreamMaxLength still refuses it, even with failOpen', async () => {
  const large = inline(Buffer.alloc(1_100_000, 'x'), 'large.txt');
  const silent = await fakeScanner();
  // scan.maxBytes is 25 MiB unless set: here clamd (StreamMaxLength 1M) cuts the stream off itself.
  await withServers([{ clamd: silent.address, maxBytes: 1_000_000 }, { clamd: clamd.tcp, failOpen: true }], async (capped, open, emulator) => {
    dataOf(await capped.call('list_attachments', { kind: 'user_story', item_id: 3 }));
    const err = errorOf(await unseenByTaiga(emulator, () => upload(capped, large)));
    assert.deepEqual([err.code, err.message, err.details], ['SCAN_UNAVAILABLE', 'The virus scanner does not accept a file this large, so the file was not uploaded.', { reason: 'too_large' }]);
    assert.match(err.hint ?? '', /StreamMaxLength and plugins\.options\.attachments\.scan\.maxBytes/);
    assert.equal(silent.received(), 0, 'nothing was sent to the scanner');
    assert.equal(errorOf(await upload(open, large)).code, 'SCAN_UNAVAILABLE');
    assert.equal(emulator.writes().length, 0);
    dataOf(await upload(open, inline(Buffer.alloc(1_000_000, 'x'), 'at-the-limit.txt')));
  }, [silent]);
});

test('scan: over the unix socket; clamd stopped is refused (fail closed), or let through with failOpen, and a warning', async () => {
  await withServers([{ clamd: clamd.socket }, { clamd: clamd.socket, failOpen: true }], async (closed, open, emulator) => {
    try {
      assert.equal(errorOf(await upload(closed, inline(EICAR, 'eicar.txt'))).code, 'UPLOAD_INFECTED');
      dataOf(await upload(closed, { path: join(roots, 'clean.pdf') }));
      assert.equal(errorOf(await upload(open, inline(EICAR, 'eicar.txt'))).code, 'UPLOAD_INFECTED', 'failOpen lets nothing infected through');
      await clamd.stop();
      for (const args of [inline(Buffer.from('clean')), { path: join(roots, 'clean.pdf') }]) {
        const err = errorOf(await unseenByTaiga(emulator, () => upload(closed, args)));
        assert.deepEqual([err.code, err.message, err.details], ['SCAN_UNAVAILABLE', 'The virus scanner is not reachable, so the file was not uploaded.', { reason: 'unreachable' }]);
        assert.doesNotMatch(JSON.stringify(err), /clamd\.sock|taiga-mcp-clamd/, 'no path of the server is named');
      }
      const through = dataOf<{ id: number }>(await upload(open, inline(Buffer.from('unscanned'))));
      assert.deepEqual(await stored(open, through.id), Buffer.from('unscanned'));
      assert.match(open.stderr(), /"reason":"unreachable"[^\n]*upload sent UNSCANNED/);
      await clamd.start();
      dataOf(await upload(closed, inline(Buffer.from('clamd is back'))));
      assert.deepEqual(readdirSync(serverTmp), []);
    } finally {
      await clamd.start();
    }
  });
});

test('scan: a clamd that never answers is a timeout refusal (the server goes on), or let through with failOpen', async () => {
  const silent = await fakeScanner();
  await withServers([{ clamd: silent.address, timeoutSeconds: 1 }, { clamd: silent.address, timeoutSeconds: 1, failOpen: true }], async (closed, open, emulator) => {
    dataOf(await closed.call('list_attachments', { kind: 'user_story', item_id: 3 }));
    const err = errorOf(await unseenByTaiga(emulator, () => upload(closed, inline(Buffer.from('slow')))));
    assert.deepEqual([err.code, err.message, err.details], ['SCAN_UNAVAILABLE', 'The virus scanner did not answer in time, so the file was not uploaded.', { reason: 'timeout' }]);
    assert.ok(silent.received() > 0, 'the file was sent to the scanner');
    dataOf(await upload(open, inline(Buffer.from('slow but let through'))));
    assert.match(open.stderr(), /"reason":"timeout"[^\n]*upload sent UNSCANNED/);
    dataOf(await closed.call('list_attachments', { kind: 'user_story', item_id: 3 }));
  }, [silent]);
});

test('scan: what Taiga is sent is what was scanned, even if the file on disk changes after the scan', async () => {
  const victim = join(roots, 'swapped.pdf');
  writeFileSync(victim, clean);
  // In front of clamd: as its verdict comes back, the file on disk becomes EICAR (same length).
  const swapped = Buffer.concat([EICAR, Buffer.alloc(clean.length - EICAR.length, 'z')]);
  const [host, port] = clamd.tcp.split(':') as [string, string];
  const proxy = createServer((client) => {
    const upstream = connect({ host, port: Number(port) });
    client.pipe(upstream);
    upstream.on('data', (verdict) => {
      writeFileSync(victim, swapped);
      client.write(verdict);
    });
    for (const s of [client, upstream]) s.on('error', () => undefined);
    upstream.on('close', () => client.end());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const racing = await scanning('racing', { clamd: `127.0.0.1:${(proxy.address() as { port: number }).port}` });
  try {
    const up = dataOf<{ id: number; size: number }>(await upload(racing, { path: victim }));
    assert.deepEqual(await stored(racing, up.id), clean, 'the bytes scanned, not the ones swapped in');
    assert.equal(errorOf(await upload(racing, { path: victim })).code, 'UPLOAD_INFECTED', 'the swapped file is caught at its own upload');
    assert.deepEqual(readdirSync(serverTmp), []);
  } finally {
    await racing.close();
    await new Promise((resolve) => proxy.close(resolve));
  }
});

test('scan over HTTP: a clean file goes, a finding is refused before Taiga sees it', async () => {
  const emulator = await startEmulator();
  const server = await startHttpMcp({ emulator, config: { plugins: { options: { attachments: { scan: { clamd: clamd.tcp } } } } } });
  const client = await legacyHttpClient(server.mcpUrl, server.localKey);
  const call = (args: Record<string, unknown>) => client.callTool({ name: 'upload_attachment', arguments: { kind: 'user_story', item_id: 3, ...args } }) as Promise<CallToolResult>;
  try {
    dataOf(await call(inline(Buffer.from('clean over http'))));
    const err = errorOf(await unseenByTaiga(emulator, () => call(inline(EICAR, 'eicar.txt'))));
    assert.deepEqual([err.code, err.details], ['UPLOAD_INFECTED', { signature: EICAR_SIGNATURE }]);
    assert.match(server.stderr(), /"tool":"upload_attachment"[^\n]*"outcome":"UPLOAD_INFECTED"/);
  } finally {
    await client.close();
    await server.stop();
    await emulator.close();
  }
});
