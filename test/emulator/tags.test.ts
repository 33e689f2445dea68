// Project tag actions as taiga-back's projects/tagging validators and services have them (not recorded
// beyond create_tag: see the fixtures README, "Emulated from taiga-back's code").
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type Emulator } from './index.js';
import { asTeammate } from '../helpers/taiga-direct.js';

let emu: Emulator;
before(async () => {
  emu = await startEmulator();
});
after(async () => emu.close());
beforeEach(() => emu.reset());

const post = (action: string, body: unknown) => asTeammate(emu, 'POST', `/projects/1/${action}`, body);
const colors = async () => (await asTeammate(emu, 'GET', '/projects/1/tags_colors')).body as Record<string, string | null>;
const storyTags = async (id: number) => ((await asTeammate(emu, 'GET', `/userstories/${id}`)).body as { tags: [string, string | null][] }).tags.map(([t]) => t);

test('create_tag: an existing tag or a colour that is not hex is a 400 field error', async () => {
  const existing = Object.keys(await colors())[0]!;
  assert.deepEqual(await post('create_tag', { tag: existing }), { status: 400, body: { tag: ['The tag exists.'] } });
  assert.deepEqual(await post('create_tag', { tag: 'fresh', color: 'red' }), { status: 400, body: { color: ['The color is not a valid HEX color.'] } });
  assert.equal((await post('create_tag', { tag: 'fresh', color: '#abc' })).status, 200);
  assert.equal((await colors())['fresh'], '#abc');
});

test('edit_tag and delete_tag need an existing tag; edit_tag refuses a name that exists', async () => {
  const [a, b] = Object.keys(await colors());
  assert.deepEqual(await post('edit_tag', { from_tag: 'no-such-tag', to_tag: 'x' }), { status: 400, body: { from_tag: ["The tag doesn't exist."] } });
  assert.deepEqual(await post('edit_tag', { from_tag: a, to_tag: b }), { status: 400, body: { to_tag: ['The tag exists yet'] } });
  assert.deepEqual(await post('delete_tag', { tag: 'no-such-tag' }), { status: 400, body: { tag: ["The tag doesn't exist."] } });
});

test('mix_tags puts to_tag in place of each from_tags tag on the project\'s items and drops them', async () => {
  const [from] = await storyTags(2);
  const to = Object.keys(await colors()).find((t) => t !== from && !['odio'].includes(t))!;
  assert.deepEqual(await post('mix_tags', { from_tags: ['no-such-tag'], to_tag: to }), { status: 400, body: { from_tags: ["The tag doesn't exist."] } });
  assert.equal((await post('mix_tags', { from_tags: [from], to_tag: to })).status, 200);
  assert.ok((await storyTags(2)).includes(to) && !(await storyTags(2)).includes(from!));
  assert.ok(!Object.hasOwn(await colors(), from!));
});
