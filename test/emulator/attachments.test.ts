// Attachments as a client sees them beyond the replay's shapes: an upload
// comes back byte for byte from its URL, the store's bound refuses what does
// not fit, deleting frees the room, and the request log keeps sizes only.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type Emulator } from './index.js';

let emu: Emulator;
const tokens = new Map<Emulator, string>();

async function login(e: Emulator): Promise<void> {
  const res = await fetch(`${e.apiUrl}/auth`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'normal', username: 'admin', password: 'taigaadmin' }),
  });
  tokens.set(e, ((await res.json()) as { auth_token: string }).auth_token);
}

before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu.close();
});
beforeEach(async () => {
  emu.reset();
  await login(emu);
});

type Json = Record<string, unknown>;
async function upload(e: Emulator, bytes: Uint8Array, name: string, type: string, objectId = 2): Promise<{ status: number; body: Json; location: string | null }> {
  const form = new FormData();
  form.append('object_id', String(objectId));
  form.append('project', '1');
  form.append('description', 'from the test');
  form.append('attached_file', new Blob([bytes], { type }), name);
  const res = await fetch(`${e.apiUrl}/userstories/attachments`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get(e)}` }, body: form });
  return { status: res.status, body: (await res.json()) as Json, location: res.headers.get('location') };
}

const everyByte = () => Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

test('an upload is served back from its url byte for byte, with its type and length', async () => {
  const bytes = everyByte();
  const { status, body, location } = await upload(emu, bytes, 'blob.bin', 'application/octet-stream');
  assert.equal(status, 201);
  assert.equal(body['size'], bytes.length);
  assert.equal(location, body['url']);
  const url = String(body['url']);
  assert.ok(url.startsWith(`${emu.url}/media/attachments/`), url);
  const res = await fetch(url); // the #fragment is not sent
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/octet-stream');
  assert.equal(res.headers.get('content-length'), String(bytes.length));
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), bytes);
  const head = await fetch(url, { method: 'HEAD' });
  assert.equal(head.headers.get('content-length'), String(bytes.length));
  const story = (await (await fetch(`${emu.apiUrl}/userstories/2`, { headers: { authorization: `Bearer ${tokens.get(emu)}` } })).json()) as Json;
  assert.equal(story['total_attachments'], 3, 'two seeded, one uploaded');
});

test('seeded attachments can be downloaded too, and deleted ones cannot', async () => {
  const auth = { authorization: `Bearer ${tokens.get(emu)}` };
  const seeded = (await (await fetch(`${emu.apiUrl}/userstories/attachments/1`, { headers: auth })).json()) as Json;
  const file = await fetch(String(seeded['url']));
  assert.equal((await file.arrayBuffer()).byteLength, seeded['size']);
  const { body } = await upload(emu, new TextEncoder().encode('short-lived\n'), 'gone.txt', 'text/plain');
  assert.equal((await fetch(`${emu.apiUrl}/userstories/attachments/${String(body['id'])}`, { method: 'DELETE', headers: auth })).status, 204);
  assert.equal((await fetch(String(body['url']))).status, 404);
});

test('the request log keeps the size of an upload, not its bytes', async () => {
  await upload(emu, everyByte(), 'blob.bin', 'application/octet-stream');
  const logged = emu.requests.find((r) => r.method === 'POST' && r.path.endsWith('/userstories/attachments'))!;
  const file = (logged.body as Json)['attached_file'];
  assert.deepEqual(file, { filename: 'blob.bin', content_type: 'application/octet-stream', size: 70_000 });
  assert.equal((logged.body as Json)['object_id'], '2');
});

test('the store refuses an upload past its bound, and deleting makes room again', async () => {
  // The seeded sample files take about 150 kB of the million.
  const e = await startEmulator({ maxAttachmentBytes: 1_000_000 });
  try {
    await login(e);
    const first = await upload(e, new Uint8Array(600_000), 'a.bin', 'application/octet-stream');
    assert.equal(first.status, 201);
    const second = await upload(e, new Uint8Array(600_000), 'b.bin', 'application/octet-stream');
    assert.equal(second.status, 400);
    assert.match(String((second.body['attached_file'] as string[])[0]), /at most 1000000 bytes/);
    const del = await fetch(`${e.apiUrl}/userstories/attachments/${String(first.body['id'])}`, {
      method: 'DELETE', headers: { authorization: `Bearer ${tokens.get(e)}` },
    });
    assert.equal(del.status, 204);
    assert.equal((await upload(e, new Uint8Array(600_000), 'c.bin', 'application/octet-stream')).status, 201);
  } finally {
    await e.close();
  }
});

test('a file name with spaces and symbols keeps its name, and its url stays a plain path', async () => {
  const bytes = new TextEncoder().encode('ünïcode & co\n');
  const { body } = await upload(emu, bytes, 'my report #1 (final).txt', 'text/plain; charset=utf-8');
  assert.equal(body['name'], 'my report #1 (final).txt');
  assert.match(String(body['attached_file']), /\/my_report_1_final\.txt$/);
  const res = await fetch(String(body['url']));
  assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), bytes);
});
