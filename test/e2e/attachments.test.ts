import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { legacyHttpClient, startHttpMcp, type HttpMcp } from '../helpers/http-server.js';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';

/** Upload roots with a file, a link out, a FIFO and a folder; a secret outside them; download folders. */
const sandbox = mkdtempSync(join(tmpdir(), 'taiga-mcp-files-'));
const roots = join(sandbox, 'uploads');
const downloads = join(sandbox, 'downloads');
for (const dir of [roots, downloads, join(roots, 'folder.txt')]) mkdirSync(dir);
const secret = join(sandbox, 'secret.txt');
writeFileSync(secret, 'outside the root');
const report = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
writeFileSync(join(roots, 'report.pdf'), report);
writeFileSync(join(roots, 'evil.svg'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
symlinkSync(secret, join(roots, 'link-out.txt'));
execFileSync('mkfifo', [join(roots, 'pipe.txt')]);

function configFile(name: string, attachments: Record<string, unknown>): string {
  const file = join(sandbox, `${name}.json`);
  writeFileSync(file, JSON.stringify({ plugins: { options: { attachments } } }));
  return file;
}
const env = (config: string, extra: Record<string, string> = {}) => ({ TAIGA_TOOLSETS: 'all', TAIGA_MCP_CONFIG: config, TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000', ...extra });

let h: Harness;
before(async () => {
  h = await startHarness({ env: env(configFile('main', { uploadRoots: [roots], downloadDir: downloads, maxInlineBytes: 100_000, maxUploadBytes: 1_000_000 })) });
});
beforeEach(() => h.emulator.reset());
after(async () => h.close());

const upload = (args: Record<string, unknown>, on: Pick<Harness, 'call'> = h) => on.call('upload_attachment', { kind: 'user_story', item_id: 3, ...args });
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
/** The error without its request id, to compare two answers whole. */
const answer = (result: CallToolResult) => {
  const { request_id: _id, ...rest } = errorOf(result) as ReturnType<typeof errorOf> & { request_id?: string };
  return rest;
};
/** What Taiga was sent for the file part of the last upload. */
const lastFilePart = (emulator: Emulator) => {
  const post = emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/attachments')).pop();
  return (post?.body as { attached_file?: { filename: string; content_type: string; size: number } } | undefined)?.attached_file;
};

test('attachments: a byte-for-byte round trip, inline and saved to a folder without overwriting', async () => {
  const small = Buffer.from('hello, attachment');
  const up = dataOf<{ id: number; size: number }>(await upload({ content_base64: small.toString('base64'), filename: 'note 1.txt', content_type: 'text/plain; charset=utf-8', description: 'a note' }));
  assert.equal(up.size, small.length);
  const inline = await h.call('download_attachment', { kind: 'user_story', attachment_id: up.id });
  const blob = (inline.content.find((c) => c.type === 'resource') as { resource: { blob: string; mimeType: string; uri: string } }).resource;
  assert.deepEqual(Buffer.from(blob.blob, 'base64'), small);
  assert.deepEqual([blob.mimeType, blob.uri], ['text/plain', `taiga://attachments/${up.id}/note%201.txt`]);
  assert.equal((inline.content[0] as { text: string }).text, `Attachment id=${up.id} "note 1.txt" (text/plain, ${small.length} bytes) follows as an embedded resource.`);
  const big = dataOf<{ id: number }>(await h.call('upload_attachment', { kind: 'task', item_id: '#2', project_id: 1, path: join(roots, 'report.pdf') }));
  const saving = await h.call('download_attachment', { kind: 'task', attachment_id: big.id });
  const first = dataOf<{ saved_to: string; content_type: string; size: number }>(saving);
  assert.deepEqual([first.content_type, first.size], ['application/pdf', report.length]);
  assert.equal((saving.content[0] as { text: string }).text, `Saved attachment id=${big.id} "report.pdf" (${report.length} bytes) to ${JSON.stringify(first.saved_to)}.`);
  const second = dataOf<{ saved_to: string }>(await h.call('download_attachment', { kind: 'task', attachment_id: big.id }));
  assert.deepEqual(readFileSync(first.saved_to), report);
  assert.notEqual(first.saved_to, second.saved_to, 'never overwrites');
  assert.ok(first.saved_to.startsWith(downloads));
  const media = h.emulator.requests.filter((r) => r.path.startsWith('/media/'));
  assert.ok(media.length >= 3 && media.every((r) => r.authorized), 'Taiga\'s own origin is sent the session token');
  const listed = dataOf<{ items: Array<{ id: number; name: string }> }>(await h.call('list_attachments', { kind: 'task', item_id: '#2', project_id: 1 }));
  assert.ok(listed.items.some((a) => a.id === big.id && a.name === 'report.pdf'));
  dataOf(await h.call('delete_attachment', { kind: 'task', attachment_id: big.id }));
});

test('attachments: a file sent again after Taiga answered 401 is sent whole the second time', async () => {
  h.emulator.knobs.failNext(1, { status: 401, method: 'POST', match: /^\/api\/v1\/userstories\/attachments/ });
  const up = dataOf<{ size: number }>(await upload({ path: join(roots, 'report.pdf') }));
  assert.equal(up.size, report.length);
  const posts = h.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/attachments'));
  assert.deepEqual(posts.map((r) => r.status), [401, 201], 'refused once, then sent again');
  assert.equal(lastFilePart(h.emulator)?.size, report.length);
});

test('attachments: a path outside the roots and a missing one get the same answer, which names no folder', async () => {
  const writes = h.emulator.totalWrites;
  const outside = [secret, join(roots, '..', 'secret.txt'), join(roots, 'link-out.txt'), '/etc/passwd', '/etc/taiga-mcp-no-such-file', join(roots, 'missing.txt'), join(sandbox, 'no-dir', 'x.txt')];
  const answers = [];
  for (const path of outside) answers.push(answer(await upload({ path })));
  for (const [i, a] of answers.entries()) {
    assert.equal(a.code, 'INVALID_INPUT', outside[i]);
    assert.deepEqual(a, answers[0], `${outside[i]} answers as ${outside[0]} does`);
    assert.doesNotMatch(JSON.stringify(a), new RegExp(`${sandbox}|upload_roots`), 'no folder of the server is named');
  }
  assert.match(answers[0]!.message, /no such file in the upload folders/);
  assert.equal(h.emulator.totalWrites, writes);
});

test('attachments: oversize, forbidden types, bad base64 and two sources are refused before Taiga sees a byte', async () => {
  const writes = h.emulator.totalWrites;
  const refused = async (args: Record<string, unknown>, pattern: RegExp) => {
    const err = errorOf(await upload(args));
    assert.equal(err.code, 'INVALID_INPUT', JSON.stringify(args).slice(0, 200));
    assert.match(JSON.stringify(err), pattern);
  };
  await refused({ content_base64: Buffer.alloc(1_000_001).toString('base64'), filename: 'big.txt' }, /over the upload limit of 1000000/);
  await refused({ content_base64: b64('<script>'), filename: 'page.html' }, /text\/html files are not allowed/);
  await refused({ content_base64: 'not base64!', filename: 'a.txt' }, /not valid base64/);
  await refused({ path: join(roots, 'report.pdf'), content_base64: 'aGk=' }, /path or content_base64/);
  assert.equal(h.emulator.totalWrites, writes);
  assert.equal(existsSync(join(downloads, 'secret.txt')), false);
});

test('attachments: a FIFO or a folder under a root is refused without blocking, however many times; the server goes on', async () => {
  const pipe = join(roots, 'pipe.txt');
  // Four blocked opens fill libuv's pool: five calls at once would stop the server for good.
  const calls = await Promise.all(Array.from({ length: 5 }, () => h.client.callTool({ name: 'upload_attachment', arguments: { kind: 'user_story', item_id: 3, path: pipe } }, undefined, { timeout: 15_000 })));
  for (const result of calls) assert.match(errorOf(result as CallToolResult).message, /not a regular file/);
  assert.match(errorOf(await upload({ path: join(roots, 'folder.txt') })).message, /not a regular file/);
  dataOf(await upload({ path: join(roots, 'report.pdf') }));
});

test('attachments: the file name is judged with the declared type: a mismatch or a name of a type not allowed is refused', async () => {
  const writes = h.emulator.totalWrites;
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ content_base64: b64('<svg onload="alert(1)"/>'), filename: 'evil.svg', content_type: 'image/png' }, /file name says image\/svg\+xml, not image\/png/],
    [{ content_base64: b64('<script>alert(1)</script>'), filename: 'evil.html', content_type: 'text/plain' }, /file name says text\/html, not text\/plain/],
    [{ content_base64: b64('<script>alert(1)</script>'), filename: 'evil.png.html', content_type: 'image/png' }, /file name says text\/html/],
    [{ content_base64: b64('<svg/>'), filename: 'EVIL.SVG' }, /image\/svg\+xml files are not allowed/],
    [{ content_base64: b64('hello'), filename: 'notes', content_type: 'text/plain' }, /application\/octet-stream files are not allowed here \(the file name has no known type\)/],
    [{ content_base64: b64('hello'), filename: 'notes.xhtm', content_type: 'text/plain' }, /no known type/],
    [{ path: join(roots, 'evil.svg'), content_type: 'image/png' }, /file name says image\/svg\+xml, not image\/png/],
  ];
  for (const [args, pattern] of cases) {
    const err = errorOf(await upload(args));
    assert.equal(err.code, 'INVALID_INPUT', JSON.stringify(args));
    assert.match(err.message, pattern, JSON.stringify(args));
  }
  assert.equal(h.emulator.totalWrites, writes, 'Taiga saw none of them');
  dataOf(await upload({ content_base64: b64('jpeg'), filename: 'Photo.JPG', content_type: 'image/jpeg' }));
  assert.deepEqual(lastFilePart(h.emulator), { filename: 'Photo.JPG', content_type: 'image/jpeg', size: 4 });
  dataOf(await upload({ content_base64: b64('text'), filename: 'notes.txt', content_type: 'Text/Plain; charset=utf-8' }));
  assert.equal(lastFilePart(h.emulator)?.content_type, 'Text/Plain; charset=utf-8');
  dataOf(await upload({ content_base64: b64('{}'), filename: 'data.json' }));
  assert.equal(lastFilePart(h.emulator)?.content_type, 'application/json', 'no declared type: the name\'s');
});

test('attachments: content_type is a MIME type and nothing else; a file name with a line break or a quote is refused; a backslash is sent escaped', async () => {
  const writes = h.emulator.totalWrites;
  for (const content_type of ['text/plain\r\nx-injected: 1', 'text/plain\nx', 'text/plain; charset="utf-8"', 'text/plain"', 'text', `text/${'x'.repeat(200)}`, 'text/plain; charset']) {
    const err = errorOf(await upload({ content_base64: b64('hi'), filename: 'a.txt', content_type }));
    assert.equal(err.code, 'INVALID_INPUT', JSON.stringify(content_type));
    assert.ok((err.details?.['fields'] as Record<string, string>)['content_type'], JSON.stringify(err));
  }
  const crlf = errorOf(await upload({ content_base64: b64('hi'), filename: 'a.txt', content_type: 'text/plain\r\nx-injected: 1' }));
  assert.match((crlf.details?.['fields'] as Record<string, string>)['content_type']!, /expected a MIME type such as text\/plain/);
  for (const filename of ['a\r\nx-injected: 1.txt', 'a\nb.txt', 'a"; name="project.txt', 'tab\there.txt']) {
    const err = errorOf(await upload({ content_base64: b64('hi'), filename }));
    assert.equal(err.code, 'INVALID_INPUT', JSON.stringify(filename));
    assert.match(err.message, /control character .* or a double quote/);
  }
  assert.equal(h.emulator.totalWrites, writes);
  const sent = dataOf<{ name: string }>(await upload({ content_base64: b64('hi'), filename: 'a\\b é.txt' }));
  assert.equal(sent.name, 'a\\b é.txt', 'the quoted name reads back whole');
});

test('attachments: base64 content is measured before it is decoded; line breaks of MIME base64 are allowed for', async () => {
  // Longer than any base64 of 1 000 000 bytes could be: refused for its size, not decoded to find it is not base64.
  const err = errorOf(await upload({ content_base64: '!'.repeat(1_400_000), filename: 'big.txt' }));
  assert.match(err.message, /over the upload limit of 1000000/);
  const exact = Buffer.alloc(1_000_000, 7);
  const wrapped = exact.toString('base64').replace(/.{76}/g, '$&\r\n');
  assert.equal(dataOf<{ size: number }>(await upload({ content_base64: wrapped, filename: 'exact.txt' })).size, 1_000_000, 'the largest file, wrapped at 76, still goes');
  const over = Buffer.alloc(1_000_001, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
  assert.match(errorOf(await upload({ content_base64: over, filename: 'over.txt' })).message, /over the upload limit of 1000000/);
});

test('attachments: a long name is saved cut to 255 bytes on a character boundary, its extension kept, never as a lone surrogate', async () => {
  const bytes = Buffer.alloc(100_001, 'x');
  const long = `${'é'.repeat(200)}.txt`;
  const up = dataOf<{ id: number }>(await upload({ content_base64: bytes.toString('base64'), filename: long }));
  const first = dataOf<{ saved_to: string }>(await h.call('download_attachment', { kind: 'user_story', attachment_id: up.id }));
  const second = dataOf<{ saved_to: string }>(await h.call('download_attachment', { kind: 'user_story', attachment_id: up.id }));
  for (const saved of [first.saved_to, second.saved_to]) {
    const name = basename(saved);
    assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} bytes`);
    assert.match(name, /^é{100,}( \(1\))?\.txt$/);
    assert.deepEqual(readFileSync(saved), bytes);
  }
  assert.match(basename(second.saved_to), / \(1\)\.txt$/);
  const astral = `${'a'.repeat(199)}😀.txt`;
  const up2 = dataOf<{ id: number }>(await upload({ content_base64: bytes.toString('base64'), filename: astral }));
  const saved = dataOf<{ saved_to: string }>(await h.call('download_attachment', { kind: 'user_story', attachment_id: up2.id })).saved_to;
  assert.equal(saved, saved.toWellFormed(), 'no lone surrogate');
  assert.equal(basename(saved), astral, 'it fits in 255 bytes: kept whole');
});

test('attachments: with a wildcard type allowed, a content type with a line break still never reaches Taiga, and a name still must match', async () => {
  const wide = await startHarness({ env: env(configFile('wide', { allowedTypes: ['text/*'] })) });
  try {
    const writes = wide.emulator.totalWrites;
    for (const args of [
      { content_base64: b64('hi'), filename: 'a.txt', content_type: 'text/plain\r\nx-injected: 1' },
      { content_base64: b64('<script>alert(1)</script>'), filename: 'evil.html', content_type: 'text/plain' },
    ]) assert.equal(errorOf(await upload(args, wide)).code, 'INVALID_INPUT', JSON.stringify(args));
    assert.equal(wide.emulator.totalWrites, writes);
    assert.match(errorOf(await upload({ path: join(roots, 'report.pdf') }, wide)).message, /uploads from files are off: no upload folder is configured/);
    const large = dataOf<{ id: number }>(await upload({ content_base64: Buffer.alloc(1024 * 1024 + 1, 'a').toString('base64'), filename: 'large.txt' }, wide));
    const refused = errorOf(await wide.call('download_attachment', { kind: 'user_story', attachment_id: large.id }));
    assert.equal(refused.message, 'The file is 1048577 bytes, over the inline limit of 1048576, and no download folder is configured.');
    assert.deepEqual(refused.details, { limit_bytes: 1048576 });
    assert.match(refused.hint ?? '', /downloadDir/);
    dataOf(await upload({ content_base64: b64('a,b'), filename: 'a.csv' }, wide));
    assert.equal(lastFilePart(wide.emulator)?.content_type, 'text/csv');
  } finally {
    await wide.close();
  }
});

test('an attachment id is an id: a path, a query or a control character in it is refused before Taiga sees it', async () => {
  const sent = h.emulator.requests.length;
  for (const name of ['download_attachment', 'delete_attachment']) {
    for (const attachment_id of ['1/../../projects/1', '1?project=2', '\u0000', '3/', 'report.pdf', '0']) {
      const err = errorOf(await h.call(name, { kind: 'user_story', attachment_id }));
      assert.equal(err.code, 'INVALID_INPUT', `${name} ${JSON.stringify(attachment_id)}: ${err.code} ${err.message}`);
    }
  }
  assert.deepEqual(h.emulator.requests.slice(sent).filter((r) => r.path.includes('attachments')), []);
  assert.equal(errorOf(await h.call('download_attachment', { kind: 'user_story', attachment_id: ' 999999 ' })).code, 'NOT_FOUND', 'its digits as a string still do');
});

test('downloads: a media answer that is not the file is an error, and a save cut short leaves nothing behind', async () => {
  const big = dataOf<{ id: number }>(await upload({ path: join(roots, 'report.pdf') }));
  const before = readdirSync(downloads).sort();
  const download = () => h.call('download_attachment', { kind: 'user_story', attachment_id: big.id });
  h.emulator.knobs.failNext(1, { status: 404, match: /^\/media\// });
  assert.equal(errorOf(await download()).code, 'NOT_FOUND');
  h.emulator.knobs.failNext(1, { status: 502, match: /^\/media\// });
  const failed = errorOf(await download());
  assert.deepEqual([failed.code, failed.details?.['status']], ['TAIGA_UNAVAILABLE', 502]);
  h.emulator.knobs.resetAfterBodyNext(1, { match: /^\/media\//, bytes: 150_000 });
  assert.equal(errorOf(await download()).code, 'TAIGA_UNAVAILABLE');
  assert.deepEqual(readdirSync(downloads).sort(), before, 'no file, not even a partial one');
});

test('downloads: a download the client cancels ends as CANCELLED, and the server goes on', async () => {
  h.emulator.knobs.hangNext(1, { match: /^\/media\// });
  const controller = new AbortController();
  const pending = h.client.callTool({ name: 'download_attachment', arguments: { kind: 'user_story', attachment_id: 3 } }, undefined, { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 300));
  controller.abort();
  await assert.rejects(pending);
  for (let i = 0; i < 200 && !/"tool":"download_attachment"[^\n]*"outcome":"CANCELLED"/.test(h.stderr()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.match(h.stderr(), /"tool":"download_attachment"[^\n]*"outcome":"CANCELLED"/);
  h.emulator.knobs.clear();
  dataOf(await h.call('download_attachment', { kind: 'user_story', attachment_id: 3 }));
});

test('attachments over HTTP: path uploads are off (even for a principal named local or stdio), with one answer for every path; content_base64 works', async () => {
  const emulator = await startEmulator();
  const attachments = { uploadRoots: [roots] };
  // Principals named as the stdio caller is ("local") and as its source is ("stdio"): neither is the stdio caller.
  const [local, stdio] = [newApiKey(), newApiKey()];
  const off = await startHttpMcp({ emulator, http: { auth: { apiKeys: [{ sha256: local.sha256, principal: 'local' }, { sha256: stdio.sha256, principal: 'stdio' }] } }, config: { plugins: { options: { attachments } } } });
  const on = await startHttpMcp({ emulator, config: { plugins: { options: { attachments: { ...attachments, pathUploadsOverHttp: true } } } } });
  const call = async (server: HttpMcp, args: Record<string, unknown>, key = server.localKey) => {
    const client = await legacyHttpClient(server.mcpUrl, key);
    try {
      return (await client.callTool({ name: 'upload_attachment', arguments: { kind: 'user_story', item_id: 3, ...args } })) as CallToolResult;
    } finally {
      await client.close();
    }
  };
  try {
    const writes = emulator.totalWrites;
    const paths = ['/etc/shadow', '/etc/taiga-mcp-no-such-file', join(roots, 'report.pdf')];
    const answers = [];
    for (const key of [local.key, stdio.key]) for (const path of paths) answers.push(answer(await call(off, { path }, key)));
    for (const a of answers) assert.deepEqual(a, answers[0]);
    assert.match(answers[0]!.message, /a local \(stdio\) feature, off over HTTP/);
    assert.doesNotMatch(JSON.stringify(answers), new RegExp(sandbox));
    assert.equal(emulator.totalWrites, writes);
    dataOf(await call(off, { content_base64: b64('hi'), filename: 'a.txt' }, local.key));

    const outside = [answer(await call(on, { path: '/etc/shadow' })), answer(await call(on, { path: '/etc/taiga-mcp-no-such-file' }))];
    assert.deepEqual(outside[0], outside[1]);
    assert.doesNotMatch(JSON.stringify(outside), new RegExp(`${sandbox}|upload_roots`));
    assert.equal(dataOf<{ size: number }>(await call(on, { path: join(roots, 'report.pdf') })).size, report.length, 'allowed by the operator');
  } finally {
    await off.stop();
    await on.stop();
    await emulator.close();
  }
});

interface FileServer {
  origin: string;
  /** What it answers every GET with, and as what (no Content-Type when undefined). */
  body: Buffer;
  type: string | undefined;
  seen: Array<{ url: string; authorization?: string }>;
  close(): Promise<void>;
}

/** A web server that is not Taiga: it answers every GET with its own bytes and notes what it was asked. */
async function startFileServer(): Promise<FileServer> {
  const seen: FileServer['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', ...(req.headers.authorization && { authorization: req.headers.authorization }) });
    res.writeHead(200, files.type === undefined ? {} : { 'content-type': files.type }).end(files.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const files: FileServer = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    body: Buffer.from('from elsewhere'),
    type: 'text/plain',
    seen,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  return files;
}

test('downloads: only from Taiga\'s origin or a configured media origin, compared whole (scheme, host, port); a URL that is none is refused', async () => {
  const emulator = await startEmulator();
  const [listed, unlisted] = [await startFileServer(), await startFileServer()];
  const saved = join(sandbox, 'from-media');
  mkdirSync(saved);
  // Seeded attachments of story 1: id 1 is 1688 bytes (saved: over 1000), id 3 is 289 (inline).
  const server = await startHarness({ emulator, env: env(configFile('media', { mediaHosts: [listed.origin], maxInlineBytes: 1000, downloadDir: saved })) });
  try {
    const download = (attachment_id = 3) => server.call('download_attachment', { kind: 'user_story', attachment_id });
    for (const media of [`${unlisted.origin}/media/`, `http://x.0.0.1:${new URL(emulator.url).port}/media/`, `https://127.0.0.1:${new URL(emulator.url).port}/media/`]) {
      emulator.mediaUrl = media;
      const err = errorOf(await download());
      assert.equal(err.code, 'PERMISSION_DENIED', `${media}: ${err.message}`);
      const where = URL.canParse(media) ? new URL(media).origin : 'no valid URL';
      assert.equal(err.message, `The file is on ${where}, which is not Taiga's origin nor a configured media origin.`);
      assert.match(err.hint ?? '', /mediaHosts/);
    }
    assert.deepEqual(unlisted.seen, [], 'nothing was asked of a host on another port');
    emulator.mediaUrl = `${listed.origin}/media/`;
    const got = await download();
    const blob = (got.content.find((c) => c.type === 'resource') as { resource: { blob: string } }).resource.blob;
    assert.equal(Buffer.from(blob, 'base64').toString(), 'from elsewhere');
    assert.equal(listed.seen.length, 1);
    assert.equal(listed.seen[0]!.authorization, undefined, 'the Taiga token stays with Taiga');
    listed.type = 'text/plain ; charset=utf-8';
    const typed = (await download()).content.find((c) => c.type === 'resource') as { resource: { mimeType: string } };
    assert.equal(typed.resource.mimeType, 'text/plain');
    listed.type = undefined;
    const untyped = (await download()).content.find((c) => c.type === 'resource') as { resource: { mimeType: string } };
    assert.equal(untyped.resource.mimeType, 'application/octet-stream', 'no type said: bytes');
    listed.body = Buffer.alloc(1000, 'i');
    assert.equal(dataOf<{ size: number }>(await download()).size, 1000, 'up to the inline limit, whatever Taiga said (289)');
    listed.body = Buffer.alloc(1001);
    assert.match(errorOf(await download()).message, /larger than the 1000 bytes allowed/);
    listed.body = Buffer.alloc(1688, 's');
    const whole = dataOf<{ saved_to: string; content_type: string }>(await download(1));
    assert.deepEqual(readFileSync(whole.saved_to), listed.body, 'saved: exactly the size Taiga gave');
    assert.equal(whole.content_type, 'application/octet-stream');
    listed.body = Buffer.alloc(1689);
    assert.match(errorOf(await download(1)).message, /larger than the 1688 bytes allowed/);
    assert.equal(readdirSync(saved).length, 1, 'the refused save left nothing');
    emulator.mediaUrl = undefined;
    dataOf(await download());
  } finally {
    await server.close();
    await emulator.close();
    await listed.close();
    await unlisted.close();
  }
});

test('downloads in read-only mode are inline only, unless saving is allowed; saves stop at the folder\'s cap', async () => {
  const emulator = await startEmulator();
  const folder = (name: string) => {
    const dir = join(sandbox, name);
    mkdirSync(dir);
    return dir;
  };
  const [readOnlyDir, cappedDir] = [folder('read-only'), folder('capped')];
  // Seeded attachments of story 1: id 1 is 1688 bytes, id 2 is 1178, id 3 is 289.
  const limits = { maxInlineBytes: 289 };
  const readOnly = await startHarness({ emulator, env: env(configFile('read-only', { ...limits, downloadDir: readOnlyDir }), { TAIGA_READ_ONLY: 'true' }) });
  const capped = await startHarness({ emulator, env: env(configFile('capped', { ...limits, downloadDir: cappedDir, saveInReadOnly: true, downloadDirMaxBytes: 3000, maxDownloadBytes: 1178 }), { TAIGA_READ_ONLY: 'true' }) });
  try {
    const download = (on: Harness, attachment_id: number) => on.call('download_attachment', { kind: 'user_story', attachment_id });
    const err = errorOf(await download(readOnly, 2));
    assert.equal(err.code, 'INVALID_INPUT');
    assert.equal(err.message, 'The file is 1178 bytes, over the inline limit of 289, and in read-only mode nothing is saved to disk.');
    assert.deepEqual(err.details, { limit_bytes: 289 });
    assert.match(err.hint ?? '', /saveInReadOnly/);
    assert.deepEqual(readdirSync(readOnlyDir), []);
    assert.equal(dataOf<{ inline?: boolean }>(await download(readOnly, 3)).inline, true, 'small files still come inline (289: at the limit)');

    const large = errorOf(await download(capped, 1));
    assert.equal(large.message, 'The file is 1688 bytes, over the download limit of 1178.');
    assert.deepEqual(large.details, { limit_bytes: 1178 });
    dataOf(await download(capped, 2));
    dataOf(await download(capped, 2));
    const full = errorOf(await download(capped, 2));
    assert.equal(full.code, 'INVALID_INPUT');
    assert.match(full.message, /would pass the download folder's cap of 3000 bytes/);
    assert.deepEqual(full.details?.['limit_bytes'], 3000);
    assert.deepEqual(readdirSync(cappedDir).length, 2);
  } finally {
    await readOnly.close();
    await capped.close();
    await emulator.close();
  }
});
