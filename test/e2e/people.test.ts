import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, dataOf, errorOf, type Harness } from '../helpers/stdio-harness.js';
import { asTeammate } from '../helpers/taiga-direct.js';

/** §6 people and §8 notifications: members, invitations, who am I, watchers, votes, notifications, mentions. */
let h: Harness;
let user2: string;
before(async () => {
  h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000' } });
  user2 = dataOf<{ session_id: string }>(await h.call('login', { username: 'user2', password: '123123' })).session_id;
});
after(async () => h.close());

type Membership = { id: number; user_id?: number; username?: string; email?: string; role: string; is_admin?: boolean; is_pending?: boolean };
type Note = { id: number; event: string; by?: string; project?: string; item?: string; subject?: string; unread?: true };
const writesTo = (method: string, path: RegExp) => h.emulator.writes().filter((w) => w.method === method && path.test(w.path)).length;

async function refusedWithoutWrite(tool: string, args: Record<string, unknown>, code = 'INVALID_INPUT') {
  const before = h.emulator.totalWrites;
  const err = errorOf(await h.call(tool, args));
  assert.equal(err.code, code, `${tool}: ${err.message}`);
  assert.equal(h.emulator.totalWrites, before, `${tool}: nothing written`);
  return err;
}

test('get_me: the configured account, its projects, and its role in one project', async () => {
  const me = dataOf<{ id: number; username: string; roles: string[]; projects: Array<{ slug: string; role?: string; admin?: true }> }>(await h.call('get_me', {}));
  assert.equal(me.username, 'admin');
  assert.ok(me.roles.includes('Back'));
  const p1 = me.projects.find((p) => p.slug === 'project-1');
  assert.deepEqual([p1?.admin, p1?.role], [true, undefined], 'a role is looked up only when asked for');
  const withRole = dataOf<{ projects: Array<{ slug: string; role?: string }> }>(await h.call('get_me', { project_id: 'project-1' }));
  assert.ok(withRole.projects.find((p) => p.slug === 'project-1')?.role);
  const asUser2 = dataOf<{ username: string; projects: Array<{ slug: string; admin?: true }> }>(await h.call('get_me', { session_id: user2, project_id: 1 }));
  assert.equal(asUser2.username, 'user2');
  assert.equal(asUser2.projects.find((p) => p.slug === 'project-1')?.admin, undefined);
});

test('invite several at once, resend an invitation, change a role and the admin flag', async () => {
  const project = dataOf<{ id: number; slug: string }>(await h.call('create_project', { name: 'People test', description: 'invitations' }));
  const invited = dataOf<{ items: Membership[] }>(await h.call('invite_project_users', { project_id: project.slug, users: ['user1', 'new.person@example.com'], role: 'Front', message: 'Welcome' }));
  assert.deepEqual(invited.items.map((m) => [m.username ?? m.email, m.role, m.is_pending ?? false]), [['user1', 'Front', false], ['new.person@example.com', 'Front', true]]);
  const sent = h.emulator.writes().filter((w) => w.path === '/api/v1/memberships/bulk_create');
  assert.deepEqual((sent.at(-1)!.body as { invitation_extra_text: string }).invitation_extra_text, 'Welcome');

  await refusedWithoutWrite('invite_project_users', { project_id: project.id, users: ['a@example.com', 'A@example.com'], role: 'Front' });
  const badRole = await refusedWithoutWrite('invite_project_users', { project_id: project.id, users: ['b@example.com'], role: 'Wizard' });
  assert.ok((badRole.details?.['valid_values'] as string[]).includes('Front'));

  const resent = dataOf<{ membership_id: number }>(await h.call('resend_invitation', { project_id: project.id, email: 'NEW.person@example.com' }));
  assert.equal(writesTo('POST', new RegExp(`^/api/v1/memberships/${resent.membership_id}/resend_invitation$`)), 1);
  const unknown = await refusedWithoutWrite('resend_invitation', { project_id: project.id, email: 'nobody@example.com' });
  assert.deepEqual(unknown.details?.['valid_values'], ['new.person@example.com']);

  const updated = dataOf<Membership>(await h.call('update_project_member', { project_id: project.id, user_id: 'user1', role: 'Back', admin: true }));
  assert.deepEqual([updated.username, updated.role, updated.is_admin], ['user1', 'Back', true]);
  const members = (await asTeammate(h.emulator, 'GET', `/memberships?project=${project.id}`)).body as Array<{ user: number | null; role_name: string; is_admin: boolean }>;
  assert.deepEqual(members.filter((m) => m.user === updated.user_id).map((m) => [m.role_name, m.is_admin]), [['Back', true]]);
  dataOf(await h.call('update_project_member', { project_id: project.id, user_id: 'user1', admin: false }));
  await refusedWithoutWrite('update_project_member', { project_id: project.id, user_id: 'user1' });
  await refusedWithoutWrite('update_project_member', { project_id: project.id, user_id: 'user3', role: 'Back' });

  const added = dataOf<{ items: Note[] }>(await h.call('login', { username: 'user1', password: '123123' }).then((r) => h.call('list_notifications', { session_id: dataOf<{ session_id: string }>(r).session_id })));
  assert.deepEqual(added.items.map((n) => [n.event, n.by, n.project]), [['added_as_member', 'admin', project.slug]], 'Taiga tells a user added by bulk_create');
});

test('watchers: add members to an item, list watchers and voters; vote and unvote', async () => {
  const seeded = ((await asTeammate(h.emulator, 'GET', '/issues/3')).body as { watchers: number[] }).watchers;
  const watched = dataOf<{ item: string; watchers: string[]; version: number }>(await h.call('add_watchers', { kind: 'issue', item_id: 3, users: ['user2', 'me'] }));
  assert.ok(watched.watchers.includes('user2') && watched.watchers.includes('admin'), watched.watchers.join());
  const now = ((await asTeammate(h.emulator, 'GET', '/issues/3')).body as { watchers: number[] }).watchers;
  assert.deepEqual(seeded.filter((w) => !now.includes(w)), [], 'the other watchers stay');
  const before = writesTo('PATCH', /^\/api\/v1\/issues\//);
  const again = dataOf<{ watchers: string[] }>(await h.call('add_watchers', { kind: 'issue', item_id: 3, users: ['user2'] }));
  assert.deepEqual(again.watchers.filter((w) => w === 'user2'), ['user2'], 'never listed twice');
  assert.equal(writesTo('PATCH', /^\/api\/v1\/issues\//), before + 1);
  const stranger = await refusedWithoutWrite('add_watchers', { kind: 'issue', item_id: 3, users: ['user1'] });
  assert.ok((stranger.details?.['valid_values'] as string[]).includes('user2'));
  await refusedWithoutWrite('add_watchers', { kind: 'issue', item_id: 3, users: ['user2'], version: 1 }, 'VERSION_CONFLICT');

  dataOf(await h.call('vote', { session_id: user2, kind: 'issue', item_id: 3 }));
  let people = dataOf<{ watchers: string[]; voters: string[] }>(await h.call('list_watchers', { kind: 'issue', item_id: 3 }));
  assert.ok(people.watchers.includes('user2') && people.voters.includes('user2'));
  dataOf(await h.call('unvote', { session_id: user2, kind: 'issue', item_id: 3 }));
  people = dataOf(await h.call('list_watchers', { kind: 'issue', item_id: 3 }));
  assert.ok(!people.voters.includes('user2'));
  const wiki = dataOf<{ watchers: string[]; voters?: string[] }>(await h.call('list_watchers', { kind: 'wiki_page', item_id: 1 }));
  assert.equal(wiki.voters, undefined, 'wiki pages have no votes');

  const notes = dataOf<{ items: Note[] }>(await h.call('list_notifications', { session_id: user2 }));
  assert.ok(notes.items.some((n) => n.event === 'added_as_watcher' && n.by === 'admin' && n.item === watched.item));
});

test('notifications: a mention notifies, read by id (only your own) or all; the level per project', async () => {
  dataOf(await h.call('add_comment', { kind: 'task', item_id: 1, comment: 'Could @user2 look at this?' }));
  const unread = dataOf<{ items: Note[]; total: number }>(await h.call('list_notifications', { session_id: user2, unread_only: true }));
  const mention = unread.items.find((n) => n.event === 'mentioned_in_comment');
  assert.ok(mention && mention.unread && mention.by === 'admin' && mention.item?.startsWith('task #'), JSON.stringify(unread.items));
  assert.ok(unread.items.every((n) => n.unread));

  const theirs = dataOf<{ items: Note[] }>(await h.call('login', { username: 'user1', password: '123123' }).then((r) => h.call('list_notifications', { session_id: dataOf<{ session_id: string }>(r).session_id })));
  const foreign = theirs.items[0]!.id;
  const err = await refusedWithoutWrite('mark_notifications_read', { session_id: user2, ids: [mention.id, foreign] });
  assert.match(err.message, new RegExp(`\\b${foreign}\\b`));
  await refusedWithoutWrite('mark_notifications_read', { session_id: user2 });
  await refusedWithoutWrite('mark_notifications_read', { session_id: user2, ids: [mention.id], all: true });
  assert.deepEqual(dataOf(await h.call('mark_notifications_read', { session_id: user2, ids: [mention.id] })), { marked: [mention.id] });
  const after = dataOf<{ items: Note[] }>(await h.call('list_notifications', { session_id: user2, unread_only: true }));
  assert.ok(!after.items.some((n) => n.id === mention.id));
  dataOf(await h.call('mark_notifications_read', { session_id: user2, all: true }));
  assert.equal(dataOf<{ total: number }>(await h.call('list_notifications', { session_id: user2, unread_only: true })).total, 0);
  const all = dataOf<{ items: Note[]; total: number; has_next: boolean }>(await h.call('list_notifications', { session_id: user2, page_size: 1 }));
  assert.deepEqual([all.items.length, all.has_next, all.total > 1], [1, true, true]);

  assert.deepEqual(dataOf(await h.call('set_notify_level', { session_id: user2, project_id: 'project-1', level: 'none', web: false })), { project: 'project-1', level: 'none', web: false });
  dataOf(await h.call('add_comment', { kind: 'task', item_id: 1, comment: '@user2 once more' }));
  assert.equal(dataOf<{ total: number }>(await h.call('list_notifications', { session_id: user2, unread_only: true })).total, 0, 'web notifications off');
  await refusedWithoutWrite('set_notify_level', { session_id: user2, project_id: 1 });
  const user1 = dataOf<{ session_id: string }>(await h.call('login', { username: 'user1', password: '123123' })).session_id;
  assert.equal(errorOf(await h.call('set_notify_level', { session_id: user1, project_id: 1, level: 'all' })).code, 'NOT_FOUND', 'a non-member has no settings there');
});

test('an @mention of someone who is not a member is refused, listing the members, in comments, descriptions and wiki pages', async () => {
  const err = await refusedWithoutWrite('add_comment', { kind: 'user_story', item_id: 2, comment: 'cc @ghost and @user2' });
  assert.match(err.message, /@ghost/);
  assert.doesNotMatch(err.message, /user2/);
  assert.ok((err.details?.['valid_values'] as string[]).includes('@user2'));
  await refusedWithoutWrite('update_issue', { issue_id: 2, description: 'Reported by @user1' });
  await refusedWithoutWrite('update_issue', { issue_id: 2, comment: 'see @ghost' });
  await refusedWithoutWrite('create_task', { project_id: 1, subject: 'x', description: '@ghost' });
  await refusedWithoutWrite('edit_comment', { kind: 'user_story', item_id: 2, comment_id: 'x', comment: '@ghost' });
  await refusedWithoutWrite('create_wiki_page', { project_id: 1, slug: 'mentions', content: 'Owner: @ghost' });
  await refusedWithoutWrite('update_wiki_page', { wiki_page_id: 1, content: 'Owner: @ghost' });
  dataOf(await h.call('update_issue', { issue_id: 2, description: 'Mail bob@example.com, run `npm i @scope/x`, ask @user2', comment: 'thanks @admin' }));
  // Someone joins in Taiga after the server cached the members: the project is read again before refusing.
  const joined = await asTeammate(h.emulator, 'POST', '/memberships', { project: 1, role: 1, username: 'user1' });
  assert.equal(joined.status, 201);
  dataOf(await h.call('add_comment', { kind: 'user_story', item_id: 2, comment: 'welcome @user1' }));
});
