import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startEmulator } from '../emulator/index.js';
import { CLI, dataOf, startHarness, type Harness } from '../helpers/stdio-harness.js';
import { measureLeanOutput } from '../bench/lean-output.js';

const textOf = (r: Awaited<ReturnType<Harness['call']>>): string => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const emulator = await startEmulator();
after(async () => emulator.close());

test('get_ carries the item\'s web link, derived from the API URL; a list says the pattern once', async () => {
  const h = await startHarness({ emulator, env: { TAIGA_TOOLSETS: 'all' } });
  try {
    const front = emulator.url.replace(/\/api\/v1$/, '').replace(/\/$/, '');
    for (const [tool, arg, segment] of [['get_user_story', 'user_story_id', 'us'], ['get_task', 'task_id', 'task'], ['get_issue', 'issue_id', 'issue'], ['get_epic', 'epic_id', 'epic']] as const) {
      const result = await h.call(tool, { [arg]: 1 });
      const item = dataOf<{ ref: number; url: string }>(result);
      assert.equal(item.url, `${front}/project/project-1/${segment}/${item.ref}`);
      assert.ok(textOf(result).split('\n')[0]!.endsWith(` ${item.url}`), 'the text line ends with the link');
    }
    const list = await h.call('list_issues', { project_id: 1, page_size: 3 });
    assert.equal(dataOf<{ url: string }>(list).url, `${front}/project/project-1/issue/{ref}`);
    assert.equal(textOf(list).split(`${front}/project/`).length, 2, 'the pattern is said once in the text');
    const empty = dataOf<{ url?: string; items: unknown[] }>(await h.call('list_issues', { project_id: 1, tags: ['no-such-tag'] }));
    assert.deepEqual([empty.items.length, empty.url], [0, undefined], 'an empty page says no pattern');
  } finally {
    await h.close();
  }
});

test('TAIGA_FRONT_URL points the links at a self-hosted front-end', async () => {
  const h = await startHarness({ emulator, env: { TAIGA_FRONT_URL: 'https://board.example.com/taiga/' } });
  try {
    assert.equal(dataOf<{ url: string }>(await h.call('get_user_story', { user_story_id: 2 })).url, 'https://board.example.com/taiga/project/project-1/us/5');
    assert.equal(dataOf<{ url: string }>(await h.call('list_user_stories', { project_id: 'project-1', page_size: 1 })).url, 'https://board.example.com/taiga/project/project-1/us/{ref}');
  } finally {
    await h.close();
  }
});

test('a TAIGA_FRONT_URL that is not a plain http(s) URL stops start-up, naming the variable', async () => {
  const env: Record<string, string | undefined> = { ...process.env, TAIGA_API_URL: emulator.url, ALLOW_HTTP_TAIGA: 'true', TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin', LOG_LEVEL: 'silent', TAIGA_FRONT_URL: 'javascript:alert(1)' };
  delete env['REDIS_URL'];
  const { status, stderr } = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ status: code, stderr: err }));
    child.stdin.end();
  });
  assert.equal(status, 2);
  assert.match(stderr, /CONFIG_INVALID: TAIGA_FRONT_URL \(taiga\.frontUrl\) must be an http\(s\) URL/);
  assert.ok(!stderr.includes('alert(1)'), 'the value is not echoed');
});

test('byte budget: a 30-story page (text + structuredContent, link pattern included) is at most 0.15x Taiga\'s bytes', async () => {
  const { rows } = await measureLeanOutput();
  const stories = rows.find((r) => r.tool === 'list_user_stories')!;
  assert.equal(stories.items, 30);
  const ratio = (stories.text_bytes + stories.structured_bytes) / stories.raw_bytes;
  assert.ok(ratio <= 0.15, `list_user_stories: ${stories.text_bytes} + ${stories.structured_bytes} bytes against Taiga's ${stories.raw_bytes}: ${ratio.toFixed(3)}x`);
});
