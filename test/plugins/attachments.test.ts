import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, realpathSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as v from 'valibot';
import { TaigaMcpError } from '../../core/errors.js';
import { allowedSource } from '../../plugins/attachments/download-origin.js';
import { freshFile, reserveRoom } from '../../plugins/attachments/download-folder.js';
import { MimeType, uploadType } from '../../plugins/attachments/file-types.js';
import { multipart } from '../../plugins/attachments/multipart.js';
import { NODE_FILE_CALLS, openInside, type FileCalls } from '../../plugins/attachments/open-inside.js';
import { AttachmentOptions, DEFAULT_TYPES } from '../../plugins/attachments/options.js';
import { savedName, cutToBytes } from '../../plugins/attachments/saved-name.js';
import { fileSource, inlineSource } from '../../plugins/attachments/upload-source.js';

/** A fresh root with `sub/file.txt`, and outside it `outside/file.txt` (the same relative name) and `outside/secret.txt`. */
function sandbox() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'taiga-mcp-open-')));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  for (const dir of [root, join(root, 'sub'), outside]) mkdirSync(dir);
  writeFileSync(join(root, 'sub', 'file.txt'), 'inside');
  writeFileSync(join(outside, 'file.txt'), 'outside');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  return { base, root, outside, file: join(root, 'sub', 'file.txt') };
}

/** The node calls without /proc (as on macOS and Windows), with `swap` run after the nth call of a kind; every file opened is noted. */
function withoutProc(swaps: { afterLstat?: Array<() => void>; afterOpen?: Array<() => void> } = {}) {
  const opened: string[] = [];
  const handles: FileHandle[] = [];
  const calls: FileCalls = {
    ...NODE_FILE_CALLS,
    fdPath: () => undefined,
    async lstat(path) {
      const stat = await NODE_FILE_CALLS.lstat(path);
      swaps.afterLstat?.shift()?.();
      return stat;
    },
    async open(path, flags) {
      const handle = await NODE_FILE_CALLS.open(path, flags);
      handles.push(handle);
      opened.push((await handle.readFile({ encoding: 'utf8' }).catch(() => '?')).slice(0, 20));
      swaps.afterOpen?.shift()?.();
      return handle;
    },
  };
  /** A refused open leaves no descriptor behind (a closed FileHandle's fd is -1). */
  const allClosed = () => assert.deepEqual(handles.map((h) => h.fd), handles.map(() => -1), 'every descriptor closed');
  return { calls, opened, allClosed };
}

const refusal = async (promise: Promise<unknown>, pattern: RegExp) => {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof TaigaMcpError, `refused, not ${String(err)}`);
  assert.equal(err.code, 'INVALID_INPUT');
  assert.match(err.message, pattern);
  assert.deepEqual(err.details?.['fields'], { path: err.message }, 'the field at fault is path');
};

test('open inside the roots, no /proc: a plain file opens; its identity is what was checked', async () => {
  const s = sandbox();
  const { calls, opened } = withoutProc();
  const got = await openInside(join(s.root, 'sub', '..', 'sub', 'file.txt'), [s.root], calls);
  assert.equal(got.real, s.file);
  assert.equal(got.size, 6);
  assert.deepEqual(opened, ['inside']);
  await got.handle.close();
});

test('open inside the roots, no /proc: a last link swapped in after the check is never followed, not even opened', async () => {
  const s = sandbox();
  const link = join(s.base, 'link');
  symlinkSync(join(s.outside, 'secret.txt'), link);
  const { calls, opened } = withoutProc({ afterLstat: [() => renameSync(link, s.file)] });
  await refusal(openInside(s.file, [s.root], calls), /changed while it was being opened/);
  assert.deepEqual(opened, [], 'O_NOFOLLOW: the outside file was not opened');
});

test('open inside the roots, no /proc: a folder swapped for a link to outside before the check is caught after the open', async () => {
  const s = sandbox();
  const { calls, opened, allClosed } = withoutProc();
  const realpath = calls.realpath;
  let first = true;
  calls.realpath = async (path) => {
    const real = await realpath(path);
    if (first) {
      // Between realpath and lstat: the folder becomes a link out, so lstat and open both see the outside file.
      first = false;
      renameSync(join(s.root, 'sub'), join(s.base, 'old-sub'));
      symlinkSync(s.outside, join(s.root, 'sub'));
    }
    return real;
  };
  await refusal(openInside(s.file, [s.root], calls), /no such file in the upload folders/);
  assert.deepEqual(opened, ['outside'], 'it was opened (the intermediate link is followed), and then refused');
  allClosed();
});

test('open inside the roots, no /proc: a folder swapped out during the open and back after it is caught by identity', async () => {
  const s = sandbox();
  const swapOut = () => {
    renameSync(join(s.root, 'sub'), join(s.base, 'old-sub'));
    symlinkSync(s.outside, join(s.root, 'sub'));
  };
  const swapBack = () => {
    execFileSync('rm', [join(s.root, 'sub')]);
    renameSync(join(s.base, 'old-sub'), join(s.root, 'sub'));
  };
  const { calls, opened, allClosed } = withoutProc({ afterLstat: [swapOut], afterOpen: [swapBack] });
  await refusal(openInside(s.file, [s.root], calls), /changed while it was being opened/);
  assert.deepEqual(opened, ['outside']);
  allClosed();
});

test('open inside the roots: a FIFO swapped in after the check does not block the open, and is refused', async () => {
  const s = sandbox();
  const fifo = join(s.base, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const { calls } = withoutProc({ afterLstat: [() => renameSync(fifo, s.file)] });
  let timer: NodeJS.Timeout | undefined;
  // Were the open to block, it would hold a thread of the pool until a writer came: this one.
  const blocked = new Promise<'blocked'>((resolve) => {
    timer = setTimeout(() => {
      closeSync(openSync(s.file, constants.O_RDWR | constants.O_NONBLOCK));
      resolve('blocked');
    }, 10_000);
  });
  const outcome = await Promise.race([openInside(s.file, [s.root], calls).then(() => 'opened', (e: unknown) => e), blocked]);
  clearTimeout(timer);
  assert.ok(outcome instanceof TaigaMcpError, `refused at once, not ${String(outcome)}`);
  assert.match(outcome.message, /changed while it was being opened/);
});

test('open inside the roots: where /proc is, it also catches a resolution that raced (answered the path as it was a moment before)', async () => {
  const s = sandbox();
  // The folder is a link out all along; a racing realpath answers the path as if it were not.
  renameSync(join(s.root, 'sub'), join(s.base, 'old-sub'));
  symlinkSync(s.outside, join(s.root, 'sub'));
  const calls: FileCalls = { ...NODE_FILE_CALLS, realpath: async (path) => (path === s.file ? s.file : NODE_FILE_CALLS.realpath(path)) };
  await refusal(openInside(s.file, [s.root], calls), /changed while it was being opened/);
  const noProc: FileCalls = { ...calls, fdPath: () => undefined };
  const fooled = await openInside(s.file, [s.root], noProc);
  await fooled.handle.close();
});

test('open inside the roots: a file gone between resolving and checking it is refused as changed', async () => {
  const s = sandbox();
  const calls: FileCalls = { ...NODE_FILE_CALLS, realpath: async (path) => {
    const real = await NODE_FILE_CALLS.realpath(path);
    execFileSync('rm', [s.file]);
    return real;
  } };
  await refusal(openInside(s.file, [s.root], calls), /changed while it was being opened/);
});

test('open inside the roots: outside, missing and a root that does not resolve all answer the same; a folder is not a regular file', async () => {
  const s = sandbox();
  for (const path of [join(s.outside, 'secret.txt'), join(s.root, 'missing.txt'), join(s.root, '..', 'outside', 'file.txt'), `${s.root}-twin/x`]) {
    await refusal(openInside(path, [s.root, undefined]), /^no such file in the upload folders$/);
  }
  writeFileSync(`${s.root}-twin`, 'a sibling whose name starts with the root\'s');
  await refusal(openInside(`${s.root}-twin`, [s.root]), /^no such file in the upload folders$/);
  await refusal(openInside(join(s.root, 'sub'), [s.root]), /not a regular file/);
  const slash = await openInside(s.file, [`${s.root}/`]);
  await slash.handle.close();
});

const source = (name: string, contentType = 'text/plain') => ({ name, contentType, size: 2, fixed: true, open: () => Readable.from([Buffer.from('hi')]), close: async () => undefined });
const written = async (body: ReturnType<typeof multipart>) => {
  const chunks: Buffer[] = [];
  for await (const chunk of body.open()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

test('multipart: every header value is refused with a line break, a control character or a quote; a backslash is escaped; the length is exact', async () => {
  for (const [name, type] of [['a\r\nb.txt', 'text/plain'], ['a"b.txt', 'text/plain'], ['a\u0000.txt', 'text/plain'], ['a.txt', 'text/plain\r\nx-injected: 1'], ['a.txt', 'text/plain"'], ['a.txt', 'text/plain\u007f']] as const) {
    assert.throws(() => multipart({ project: '1' }, 'attached_file', source(name, type)), (e: unknown) =>
      e instanceof TaigaMcpError && e.code === 'INTERNAL' && e.message === 'A multipart header value with a control character or a quote reached the writer.', `${JSON.stringify(name)} ${JSON.stringify(type)}`);
  }
  assert.throws(() => multipart({ 'pro"ject': '1' }, 'attached_file', source('a.txt')), TaigaMcpError);
  const body = multipart({ project: '1' }, 'attached_file', source('a\\b.txt'));
  const bytes = await written(body);
  assert.equal(bytes.length, body.length);
  assert.match(bytes.toString(), /content-disposition: form-data; name="attached_file"; filename="a\\\\b\.txt"\r\ncontent-type: text\/plain\r\n\r\nhi\r\n/);
  assert.match(bytes.toString(), /name="project"\r\n\r\n1\r\n/);
});

test('inline content longer than any base64 of the limit is refused before it is decoded', () => {
  const opts = v.parse(AttachmentOptions, { maxUploadBytes: 300 });
  // 300 bytes: 400 characters, and a CRLF for each 76 of them (6 lines): 412 at most.
  const original = Buffer.from;
  let decoded = 0;
  Buffer.from = ((value: unknown, encoding?: unknown) => {
    if (encoding === 'base64') decoded += 1;
    return (original as (v: unknown, e?: unknown) => Buffer)(value, encoding);
  }) as typeof Buffer.from;
  try {
    assert.throws(() => inlineSource('A'.repeat(413), 'a.txt', undefined, opts), (e: unknown) =>
      e instanceof TaigaMcpError && e.message === 'the content is over the upload limit of 300' && JSON.stringify(e.details) === JSON.stringify({ fields: { content_base64: e.message }, limit_bytes: 300 }));
    assert.equal(decoded, 0, 'not decoded');
    const wrapped = Buffer.alloc(300, 1).toString('base64').replace(/.{76}/g, '$&\r\n');
    assert.equal(wrapped.length, 410);
    assert.equal(inlineSource(`${wrapped}\r\n`, 'a.txt', undefined, opts).size, 300);
    assert.equal(decoded, 1);
  } finally {
    Buffer.from = original;
  }
  assert.throws(() => inlineSource('A'.repeat(404), 'a.txt', undefined, opts), (e: unknown) =>
    e instanceof TaigaMcpError && e.message === 'the file is 303 bytes, over the upload limit of 300' && (e.details as { size?: number }).size === 303);
  assert.throws(() => inlineSource('', 'a.txt', undefined, opts), (e: unknown) =>
    e instanceof TaigaMcpError && JSON.stringify(e.details) === JSON.stringify({ fields: { content_base64: 'not valid base64 content' } }), 'nothing is not a file');
  assert.throws(() => inlineSource('aGk=', 'a\nb.txt', undefined, opts), (e: unknown) => e instanceof TaigaMcpError && Object.keys(e.details?.['fields'] as object).join() === 'filename');
  assert.throws(() => inlineSource('aGk=', 'a.svg', undefined, opts), (e: unknown) => e instanceof TaigaMcpError && Object.keys(e.details?.['fields'] as object).join() === 'content_base64');
});

test('every default type goes by its name alone; active content is known by its name even where unknown names are allowed', () => {
  const byName: Array<[string, string]> = [
    ['png', 'image/png'], ['jpg', 'image/jpeg'], ['jpeg', 'image/jpeg'], ['gif', 'image/gif'], ['webp', 'image/webp'], ['pdf', 'application/pdf'],
    ['txt', 'text/plain'], ['log', 'text/plain'], ['csv', 'text/csv'], ['md', 'text/markdown'], ['markdown', 'text/markdown'], ['json', 'application/json'],
    ['zip', 'application/zip'], ['docx', DEFAULT_TYPES[10]!], ['xlsx', DEFAULT_TYPES[11]!], ['pptx', DEFAULT_TYPES[12]!], ['odt', DEFAULT_TYPES[13]!], ['ods', DEFAULT_TYPES[14]!],
  ];
  for (const [ext, type] of byName) assert.equal(uploadType(`file.${ext}`, undefined, DEFAULT_TYPES, 'path'), type, ext);
  for (const [ext, type] of [['bmp', 'image/bmp'], ['tif', 'image/tiff'], ['tiff', 'image/tiff']]) assert.equal(uploadType(`scan.${ext}`, undefined, ['image/*'], 'path'), type);
  const lenient = ['image/png', 'application/octet-stream'];
  for (const ext of ['svg', 'svgz', 'html', 'htm', 'shtml', 'xhtml', 'xml', 'js', 'mjs', 'css']) {
    assert.throws(() => uploadType(`evil.${ext}`, 'image/png', lenient, 'path'), /the file name says \S+, not image\/png/, ext);
  }
});

test('a type is judged by the name too; patterns and case as an operator writes them', () => {
  assert.equal(uploadType('a.txt', 'text/plain ; charset=utf-8', ['text/plain'], 'path'), 'text/plain ; charset=utf-8');
  assert.throws(() => uploadType('png', undefined, ['image/png'], 'path'), /no known type/, 'a name without a dot has no extension');
  assert.equal(uploadType('.txt', undefined, ['text/plain'], 'path'), 'text/plain');
  assert.throws(() => uploadType('a.css', undefined, ['text/csv'], 'path'), /text\/css files are not allowed/, 'text/csv is not a pattern');
  assert.throws(() => uploadType('a.svg', 'image/png', ['image/png'], 'content_base64'), (e: unknown) =>
    e instanceof TaigaMcpError && JSON.stringify(e.details) === JSON.stringify({ fields: { content_type: e.message }, content_type: 'image/png', type_of_name: 'image/svg+xml' }));
  assert.throws(() => uploadType('a.svg', undefined, ['image/png'], 'content_base64'), (e: unknown) =>
    e instanceof TaigaMcpError && e.message === 'image/svg+xml files are not allowed here' && JSON.stringify(e.details) === JSON.stringify({ fields: { content_base64: e.message }, content_type: 'image/svg+xml', allowed_types: ['image/png'] }));
  assert.equal(uploadType('a.PNG', undefined, ['Image/*'], 'path'), 'image/png');
  assert.equal(uploadType('a.png', 'IMAGE/PNG', ['image/png'], 'path'), 'IMAGE/PNG');
  assert.throws(() => uploadType('a.svg', undefined, ['image/png', 'image/*png'], 'path'), /image\/svg\+xml files are not allowed/);
  assert.throws(() => uploadType('a.bin', 'application/pdf', ['application/pdf'], 'path'), /application\/octet-stream files are not allowed here \(the file name has no known type\)/);
  assert.equal(uploadType('a.bin', 'application/pdf', ['application/pdf', 'application/octet-stream'], 'path'), 'application/pdf');
  assert.throws(() => uploadType('a.bin', 'text/html', ['application/octet-stream'], 'path'), /text\/html files are not allowed/);
  assert.equal(uploadType('README', undefined, ['application/octet-stream'], 'path'), 'application/octet-stream');
  assert.throws(() => uploadType('a.png', 'text/plain', ['*/*'], 'path'), (e: unknown) => e instanceof TaigaMcpError && (e.details?.['fields'] as Record<string, string>)['content_type'] !== undefined);
});

test('saved names: at most 249 bytes (room for " (999)"), cut between characters, the extension kept, safe on every OS', () => {
  const bytes = (s: string) => Buffer.byteLength(s);
  assert.equal(savedName(`${'é'.repeat(200)}.txt`), `${'é'.repeat(122)}.txt`);
  assert.equal(bytes(savedName(`${'é'.repeat(200)}.txt`)), 248);
  assert.equal(savedName(`${'a'.repeat(249)}`), 'a'.repeat(249), 'exactly the budget: kept');
  assert.equal(savedName(`${'a'.repeat(250)}`), 'a'.repeat(249));
  // A grapheme of a letter and a combining accent (3 bytes) is never split from its accent.
  const combined = savedName(`${'e\u0301'.repeat(100)}.md`);
  assert.equal(combined, `${'e\u0301'.repeat(82)}.md`);
  assert.equal(savedName(`${'😀'.repeat(70)}.pdf`), `${'😀'.repeat(61)}.pdf`);
  assert.equal(savedName(`${'a'.repeat(300)}.${'x'.repeat(40)}`), 'a'.repeat(249), 'a 41-byte "extension" is not one');
  assert.equal(savedName(`${'a'.repeat(300)}.${'x'.repeat(31)}`), `${'a'.repeat(217)}.${'x'.repeat(31)}`);
  assert.equal(savedName('a\ud800b.txt'), 'a\ufffdb.txt');
  assert.equal(savedName('../..\\etc/passwd'), '__.._etc_passwd');
  assert.equal(savedName('a:b*c?d"e<f>g|h\u0001.txt'), 'a_b_c_d_e_f_g_h_.txt');
  assert.equal(savedName('...hidden'), '_hidden');
  assert.equal(savedName('name. . '), 'name');
  assert.equal(savedName('CON.txt'), '_CON.txt');
  assert.equal(savedName('lpt1'), '_lpt1');
  assert.equal(savedName('console.txt'), 'console.txt');
  assert.equal(savedName('falcon.txt'), 'falcon.txt');
  assert.equal(savedName('COM1.log'), '_COM1.log');
  assert.equal(savedName('aux'), '_aux');
  assert.equal(savedName('...'), '_');
  assert.equal(savedName(''), 'attachment');
  assert.equal(savedName(' . '), 'attachment');
  // One grapheme longer than the budget (a letter under 200 combining marks): its code points that fit.
  assert.equal(bytes(cutToBytes(`a${'\u0301'.repeat(200)}`, 249)), 249);
  assert.equal(cutToBytes('abc', 0), '');
});

test('download origins: whole origins; the parent domain only for a DNS name, with Taiga\'s scheme and port', () => {
  const api = 'https://api.taiga.io/api/v1';
  const ok = (url: string, from = api, media: string[] = []) => allowedSource(new URL(url), from, media);
  assert.ok(ok('https://api.taiga.io/media/x'));
  assert.ok(ok('https://media-protected.taiga.io/attachments/x?token=1'));
  for (const url of ['http://media-protected.taiga.io/x', 'https://media-protected.taiga.io:8443/x', 'https://taiga.io.evil.com/x', 'https://evil.io/x', 'https://taiga.io/x', 'https://api.taiga.io:444/x']) assert.ok(!ok(url), url);
  assert.ok(!ok('http://10.0.0.1:9000/x', 'http://127.0.0.1:9000/api/v1'), 'an IP has no parent domain');
  assert.ok(!ok('http://127.0.0.2:9000/x', 'http://127.0.0.1:9000/api/v1'));
  assert.ok(!ok('http://127.0.0.1:9001/x', 'http://127.0.0.1:9000/api/v1'), 'another port');
  assert.ok(ok('http://127.0.0.1:9000/media/x', 'http://127.0.0.1:9000/api/v1'));
  assert.ok(!ok('https://x.example/x', 'https://taiga.example/api/v1'), 'two labels: no parent to share');
  assert.ok(!ok('https://[::2]:8443/x', 'https://[::1]:8443/api/v1'));
  assert.ok(ok('https://files.example.com:8443/x', api, ['https://files.example.com:8443']));
  assert.ok(!ok('https://files.example.com/x', api, ['https://files.example.com:8443']));
  assert.ok(ok('https://media.sub.example.com:8443/x', 'https://api.sub.example.com:8443/api/v1'));
});

test('mediaHosts: origins, or bare hosts meaning https; anything with a path, credentials or another scheme is refused', () => {
  const parsed = v.parse(AttachmentOptions, { mediaHosts: ['media.example.com', 'http://127.0.0.1:9001', 'HTTPS://Media.Example.com:443/', 'files.example.com:8443', 'https://[::1]:9000'] });
  assert.deepEqual(parsed.mediaHosts, ['https://media.example.com', 'http://127.0.0.1:9001', 'https://media.example.com', 'https://files.example.com:8443', 'https://[::1]:9000']);
  for (const bad of ['ftp://media.example.com', 'https://media.example.com/path', 'https://user:pw@media.example.com', 'https://media.example.com?x=1', 'https://media.example.com#x', 'media example.com', 'media.exa\tmple.com', 'https://media.example.com\\path', 'media.example.com:99999', '', 'https://', 'file:///etc']) {
    assert.equal(v.safeParse(AttachmentOptions, { mediaHosts: [bad] }).success, false, bad);
  }
});

test('the download folder\'s cap holds against saves under way at once; a finished save gives its reservation back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-cap-'));
  writeFileSync(join(dir, 'already.bin'), Buffer.alloc(40));
  mkdirSync(join(dir, 'a folder'));
  const outcomes = await Promise.allSettled([reserveRoom(dir, 31, 100), reserveRoom(dir, 31, 100)]);
  assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
  const release = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<() => void>).value;
  await assert.rejects(reserveRoom(dir, 31, 100), (e: unknown) =>
    e instanceof TaigaMcpError && e.code === 'INVALID_INPUT' && e.message === 'Saving this file (31 bytes) would pass the download folder\'s cap of 100 bytes.' &&
    /downloadDirMaxBytes/.test(e.hint ?? '') && JSON.stringify(e.details) === JSON.stringify({ limit_bytes: 100, size: 31 }));
  release();
  (await reserveRoom(dir, 60, 100))();
  await assert.rejects(reserveRoom(dir, 61, 100), /cap of 100/);
  assert.deepEqual(readdirSync(dir).sort(), ['a folder', 'already.bin']);
  assert.equal(statSync(join(dir, 'already.bin')).size, 40);
});

test('options: the defaults the README gives, and bounds on every limit and list', () => {
  const MiB = 1024 * 1024;
  assert.deepEqual(v.parse(AttachmentOptions, {}), {
    uploadRoots: [], pathUploadsOverHttp: false, maxUploadBytes: 10 * MiB, allowedTypes: DEFAULT_TYPES, maxInlineBytes: MiB,
    downloadDirMaxBytes: 1024 * MiB, saveInReadOnly: false, maxDownloadBytes: 100 * MiB, mediaHosts: [],
  });
  const limits: Array<[string, number]> = [['maxUploadBytes', 1024 * MiB], ['maxInlineBytes', 50 * MiB], ['downloadDirMaxBytes', 1024 * 1024 * MiB], ['maxDownloadBytes', 4096 * MiB]];
  for (const [key, max] of limits) {
    assert.ok(v.safeParse(AttachmentOptions, { [key]: max }).success, `${key} ${max}`);
    for (const bad of [max + 1, 0, 1.5]) assert.equal(v.safeParse(AttachmentOptions, { [key]: bad }).success, false, `${key} ${bad}`);
  }
  const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
  for (const [key, ok, bad] of [
    ['uploadRoots', many(50, (i) => `/r${i}`), many(51, (i) => `/r${i}`)],
    ['uploadRoots', ['x'.repeat(4096)], ['x'.repeat(4097)]],
    ['uploadRoots', ['/'], ['']],
    ['allowedTypes', many(200, (i) => `a/${i}`), many(201, (i) => `a/${i}`)],
    ['allowedTypes', [`a/${'x'.repeat(198)}`], [`a/${'x'.repeat(199)}`]],
    ['mediaHosts', many(50, (i) => `h${i}.example`), many(51, (i) => `h${i}.example`)],
    ['mediaHosts', [`https://${'a'.repeat(292)}`], [`https://${'a'.repeat(293)}`]],
    ['downloadDir', 'x'.repeat(4096), ''],
  ] as Array<[string, unknown, unknown]>) {
    assert.ok(v.safeParse(AttachmentOptions, { [key]: ok }).success, `${key} ok`);
    assert.equal(v.safeParse(AttachmentOptions, { [key]: bad }).success, false, `${key} bad`);
  }
  assert.equal(v.safeParse(AttachmentOptions, { pathUploadsOverHttp: 'yes' }).success, false);
  assert.equal(v.safeParse(AttachmentOptions, { unknown: 1 }).success, false);
});

test('a saved file is new, readable by its owner only, and never the thousand-and-first of a name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-fresh-'));
  const first = await freshFile(dir, 'a.txt');
  first.stream.end('x');
  await new Promise<void>((resolve) => first.stream.once('close', () => resolve()));
  assert.equal(statSync(first.path).mode & 0o777, 0o600);
  for (let n = 1; n < 1000; n++) writeFileSync(join(dir, `a (${n}).txt`), '');
  await assert.rejects(freshFile(dir, 'a.txt'), (e: unknown) => e instanceof TaigaMcpError && e.code === 'INTERNAL' && /No free file name/.test(e.message));
  await assert.rejects(freshFile(join(dir, 'gone'), 'a.txt'), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT', 'a missing folder is not a taken name');
});

test('a local file refused for its name or type is closed, not left open', async () => {
  const s = sandbox();
  writeFileSync(join(s.root, 'evil.svg'), '<svg/>');
  const opts = v.parse(AttachmentOptions, { uploadRoots: [s.root, join(s.base, 'gone')] });
  const handles: FileHandle[] = [];
  const open = NODE_FILE_CALLS.open;
  NODE_FILE_CALLS.open = async (path, flags) => {
    const handle = await open(path, flags);
    handles.push(handle);
    return handle;
  };
  try {
    // A refusal of the file itself (its name, its size) names `path`.
    const atPath = (message: RegExp, more: object = {}) => (e: unknown) =>
      e instanceof TaigaMcpError && message.test(e.message) && JSON.stringify(e.details) === JSON.stringify({ fields: { path: e.message }, ...more });
    await assert.rejects(fileSource(join(s.root, 'evil.svg'), 'image/png', opts), /the file name says image\/svg\+xml/);
    writeFileSync(join(s.root, 'tab\there.txt'), 'x');
    await assert.rejects(fileSource(join(s.root, 'tab\there.txt'), undefined, opts), atPath(/^the file name has a control character/));
    await assert.rejects(fileSource(s.file, undefined, { ...opts, maxUploadBytes: 5 }), atPath(/^the file is 6 bytes, over the upload limit of 5$/, { limit_bytes: 5, size: 6 }));
    await assert.rejects(fileSource(s.file, undefined, { ...opts, uploadRoots: [] }), (e: unknown) =>
      e instanceof TaigaMcpError && /^uploads from files are off/.test(e.message) && Object.keys(e.details?.['fields'] as object).join() === 'path');
    assert.equal(handles.length, 3);
    assert.ok(handles.every((h) => h.fd === -1), 'closed');
    const good = await fileSource(s.file, undefined, opts);
    assert.equal(good.size, 6);
    // A body is opened again for a second attempt (after a 401): whole each time.
    for (let i = 0; i < 2; i++) {
      const chunks: Buffer[] = [];
      for await (const chunk of good.open()) chunks.push(chunk as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), 'inside');
    }
    await good.close();
    assert.equal(handles[3]!.fd, -1, 'closed once sent');
  } finally {
    NODE_FILE_CALLS.open = open;
  }
});

test('content_type: a MIME type or the reason it is not, as the agent reads it; nothing that could end the multipart header', () => {
  assert.equal(v.safeParse(MimeType, 'text/plain; charset=utf-8').success, true);
  for (const bad of ['text/plain\r\nx-injected: 1', 'text/plain"', 'text', 'text/plain; charset="utf-8"']) {
    assert.deepEqual(v.safeParse(MimeType, bad).issues?.map((i) => i.message), ['expected a MIME type such as text/plain'], JSON.stringify(bad));
  }
});
