import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { asTeammate } from '../helpers/taiga-direct.js';
import { dataOf, errorOf, startHarness, startModernHarness, type Elicitation } from '../helpers/stdio-harness.js';

// The person behind the agent confirms destructive writes, through real SDK clients of both eras
// over stdio: the 2025-era client gets elicitation/create, the 2026-07-28 one an input_required
// result that it answers and retries. What the emulator received says what was written.

type Answer = Awaited<ReturnType<Elicitation>>;
const ACCEPT: Answer = { action: 'accept', content: { confirm: true } };
const DECLINE: Answer = { action: 'decline' };
const CANCEL: Answer = { action: 'cancel' };

/** A person who answers `answer` (changeable) and remembers every question. */
function person(first: Answer = DECLINE) {
  const p = { answer: first, questions: [] as string[], before: undefined as (() => Promise<void>) | undefined };
  const elicitation: Elicitation = async ({ message }) => {
    p.questions.push(message);
    await p.before?.();
    return p.answer;
  };
  return Object.assign(p, { elicitation });
}

type Harness = { call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>; emulator: Emulator; stderr(): string; close(): Promise<void> };
const ERAS = [
  ['2025-era client (elicitation/create)', startHarness],
  ['2026-07-28 client (input_required)', startModernHarness],
] as const;

/** The writes the emulator received while `run` ran. */
async function writesDuring(emulator: Emulator, run: () => Promise<unknown>): Promise<string[]> {
  const seen = emulator.requests.length;
  await run();
  return emulator.requests.slice(seen).filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.path.startsWith('/api/v1/auth')).map((r) => `${r.method} ${r.path}`);
}

const STORY_1 = 'Delete user story #1 "Exception is thrown if trying to add a folder with existing name" in project-1, with its tasks?';

for (const [era, start] of ERAS) {
  test(`${era}: declined or cancelled, nothing is written and the call fails DECLINED; accepted, the story is deleted once`, async () => {
    const p = person(DECLINE);
    const h: Harness = await start({ elicitation: p.elicitation });
    try {
      const args = { user_story_id: '#1', project_id: 'project-1' };
      let result!: CallToolResult;
      assert.deepEqual(await writesDuring(h.emulator, async () => (result = await h.call('delete_user_story', args))), []);
      const declined = errorOf(result);
      assert.equal(declined.code, 'DECLINED');
      assert.equal(declined.details?.['action'], 'decline');
      assert.ok(declined.hint && /ask the user/.test(declined.hint), declined.hint);
      assert.deepEqual(p.questions, [STORY_1]);
      assert.match(h.stderr(), /"tool":"delete_user_story"[^\n]*"outcome":"input_required"/, 'asking is audited, as no failure');
      assert.match(h.stderr(), /"tool":"delete_user_story"[^\n]*"outcome":"DECLINED"/);
      assert.ok(!h.stderr().includes('failed unexpectedly'));

      p.answer = CANCEL;
      assert.deepEqual(await writesDuring(h.emulator, async () => (result = await h.call('delete_user_story', args))), []);
      assert.equal(errorOf(result).details?.['action'], 'cancel');
      assert.equal(dataOf(await h.call('get_user_story', args))['ref'], 1, 'still there');

      p.answer = ACCEPT;
      assert.deepEqual(await writesDuring(h.emulator, async () => (result = await h.call('delete_user_story', args))), ['DELETE /api/v1/userstories/1']);
      assert.deepEqual(dataOf(result), { status: 'deleted', id: 1, ref: 1 });
      assert.equal(p.questions.length, 3);
      assert.equal(errorOf(await h.call('get_user_story', args)).code, 'NOT_FOUND');
    } finally {
      await h.close();
    }
  });

  // The subject is in the question; the description is not, so only the bound version can tell.
  for (const [field, change] of [['subject', 'Renamed meanwhile'], ['description', 'Edited meanwhile']] as const) {
    test(`${era}: the item's ${field} changed while the person was deciding: VERSION_CONFLICT, nothing deleted`, async () => {
      const p = person(ACCEPT);
      const h: Harness = await start({ elicitation: p.elicitation });
      try {
        p.before = async () => void (await asTeammate(h.emulator, 'PATCH', '/userstories/1', { [field]: change, version: 1 }));
        let result!: CallToolResult;
        const writes = await writesDuring(h.emulator, async () => (result = await h.call('delete_user_story', { user_story_id: '#1', project_id: 'project-1' })));
        assert.deepEqual(writes, ['PATCH /api/v1/userstories/1'], 'only the teammate wrote');
        const conflict = errorOf(result);
        assert.equal(conflict.code, 'VERSION_CONFLICT');
        if (field === 'subject') assert.match(conflict.message, /Renamed meanwhile/);
        assert.equal(dataOf<{ raw: Record<string, unknown> }>(await h.call('get_user_story', { user_story_id: '#1', project_id: 'project-1', full: true })).raw[field], change);
      } finally {
        await h.close();
      }
    });
  }
}

test('the question of a project says what goes with it, counted from Taiga (a list Taiga will not count is said to be uncounted)', async () => {
  const p = person(DECLINE);
  const h = await startModernHarness({ elicitation: p.elicitation });
  try {
    h.emulator.knobs.failNext(1, { status: 403, match: /\/epics\?/ });
    assert.deepEqual(await writesDuring(h.emulator, () => h.call('delete_project', { project_id: 'project-1' })), []);
    p.answer = ACCEPT;
    const writes = await writesDuring(h.emulator, () => h.call('delete_project', { project_id: 'project-1' }));
    assert.deepEqual(p.questions, [
      'Delete project "Project Example 1" (project-1: uncounted epics, 14 stories, 8 tasks, 16 issues, 4 wiki pages)? This cannot be undone.',
      'Delete project "Project Example 1" (project-1: 8 epics, 14 stories, 8 tasks, 16 issues, 4 wiki pages)? This cannot be undone.',
    ]);
    assert.deepEqual(writes, ['DELETE /api/v1/projects/1']);
  } finally {
    await h.close();
  }
});

/** Arguments of every destructive tool, found through the server itself (with a first write where one is needed). */
const DESTRUCTIVE_CALLS: Array<[string, (h: Harness) => Promise<Record<string, unknown>>, RegExp]> = [
  ['remove_user_story_from_epic', async () => ({ epic_id: '#39', user_story_id: '#9', project_id: 'project-1' }), /^Unlink user story #9 "get_actions\(\) does not check for 'delete_selected' in actions" from epic #39 "Added file copying and processing of images \(resizing\)" \(the story stays\)\?$/],
  ['delete_comment', async (h) => ({ kind: 'issue', item_id: '#38', project_id: 'project-1', comment_id: dataOf(await h.call('add_comment', { kind: 'issue', item_id: '#38', project_id: 'project-1', comment: 'to go' }))['comment_id'] }), /^Delete comment "[\w-]+" on issue #38 "Create the user model" in project-1\?$/],
  ['delete_attachment', async (h) => ({ kind: 'task', attachment_id: dataOf(await h.call('upload_attachment', { kind: 'task', item_id: '#2', project_id: 'project-1', filename: 'notes.txt', content_base64: Buffer.from('hello').toString('base64') }))['id'] }), /^Delete the file "notes\.txt" \(5 bytes\) attached to task id 1 in project-1\?$/],
  ['remove_wiki_link', async () => ({ project_id: 'project-1', link: 'similique aliquid' }), /^Remove the link "similique aliquid" from the wiki sidebar of project-1 \(its page stays\)\?$/],
  ['delete_wiki_page', async () => ({ wiki_page_id: 'home', project_id: 'project-1' }), /^Delete wiki page "home" in project-1\?$/],
  ['delete_task', async () => ({ task_id: '#2', project_id: 'project-1' }), /^Delete task #2 "Lighttpd x-sendfile support" in project-1\?$/],
  ['delete_issue', async () => ({ issue_id: '#38', project_id: 'project-1' }), /^Delete issue #38 "Create the user model" in project-1\?$/],
  ['delete_epic', async () => ({ epic_id: '#40', project_id: 'project-1' }), /^Delete epic #40 "Lighttpd support" in project-1, with its links to user stories \(not the stories\)\?$/],
  ['delete_sprint', async () => ({ sprint_id: 1 }), /^Delete sprint "Sprint 2026-9-27" of project-1\? Its 3 user stories \(#1, #5, #9\) go back to the backlog\.$/],
  ['remove_project_member', async () => ({ project_id: 'project-1', user_id: 'user3' }), /^Remove user3 \("Sonia Cruz", role "Front"\) from project "Project Example 1" \(project-1\)\?$/],
  ['delete_user_story', async () => ({ user_story_id: '#12', project_id: 'project-1' }), /^Delete user story #12 "Support for bulk actions" in project-1, with its tasks\?$/],
  ['delete_project_setting', async () => ({ project_id: 'project-1', kind: 'severity', setting: 'Wishlist', move_to: 'minor' }), /^Delete severity "Wishlist" of project-1\? What has it gets "Minor" instead\.$/],
  ['delete_project', async () => ({ project_id: 'project-2' }), /^Delete project "Project Example 2" \(project-2: \d+ epics?, \d+ stor(y|ies), \d+ tasks?, \d+ issues?, \d+ wiki pages?\)\? This cannot be undone\.$/],
];

test('every destructive tool asks first, saying what it will remove: declined, nothing is written; accepted, it writes', async () => {
  const p = person(DECLINE);
  const h = await startModernHarness({ elicitation: p.elicitation, env: { TAIGA_TOOLSETS: 'all' } });
  try {
    const destructive = (await h.client.listTools()).tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    assert.deepEqual(DESTRUCTIVE_CALLS.map(([name]) => name).sort(), destructive.sort(), 'every destructive tool is tried here');
    for (const [name, argsOf, question] of DESTRUCTIVE_CALLS) {
      const args = await argsOf(h);
      p.answer = DECLINE;
      let result!: CallToolResult;
      assert.deepEqual(await writesDuring(h.emulator, async () => (result = await h.call(name, args))), [], `${name}: declined, nothing written`);
      assert.equal(errorOf(result).code, 'DECLINED', name);
      assert.match(p.questions.at(-1)!, question);
      p.answer = ACCEPT;
      const writes = await writesDuring(h.emulator, async () => (result = await h.call(name, args)));
      assert.ok(!result.isError, `${name}: ${JSON.stringify(result.content).slice(0, 300)}`);
      assert.ok(writes.length >= 1 && writes.every((w) => w.startsWith('DELETE') || w.includes('delete_comment')), `${name}: ${writes.join(', ')}`);
    }
  } finally {
    await h.close();
  }
});

test('closing a sprint with unfinished stories asks, saying where they go; a sprint with none closes without a question', async () => {
  const p = person(DECLINE);
  const h = await startHarness({ elicitation: p.elicitation, env: { TAIGA_TOOLSETS: 'all' } });
  try {
    let result!: CallToolResult;
    assert.deepEqual(await writesDuring(h.emulator, async () => (result = await h.call('close_sprint', { sprint_id: 1, move_unfinished_to: null }))), []);
    assert.equal(errorOf(result).code, 'DECLINED');
    assert.deepEqual(p.questions, ['Close sprint "Sprint 2026-9-27" of project-1? Its 2 unfinished user stories (#5, #9): they move to the backlog.']);
    assert.deepEqual(await writesDuring(h.emulator, () => h.call('close_sprint', { sprint_id: 1 })), []);
    assert.equal(p.questions.at(-1), 'Close sprint "Sprint 2026-9-27" of project-1? Its 2 unfinished user stories (#5, #9): they stay in the closed sprint.');
    p.answer = ACCEPT;
    const writes = await writesDuring(h.emulator, async () => (result = await h.call('close_sprint', { sprint_id: 1, move_unfinished_to: null })));
    assert.deepEqual(writes, ['POST /api/v1/userstories/bulk_update_backlog_order', 'PATCH /api/v1/milestones/1']);
    assert.deepEqual(dataOf(result)['moved'], [5, 9]);
    const asked = p.questions.length;
    const created = dataOf(await h.call('create_sprint', { project_id: 'project-1', name: 'Empty', start: '2030-01-01', finish: '2030-01-14' }));
    assert.ok(!(await h.call('close_sprint', { sprint_id: created['id'] })).isError);
    assert.equal(p.questions.length, asked, 'no question for a sprint with no open story');
  } finally {
    await h.close();
  }
});

test('bulk writes ask only above confirmations.bulkThreshold, naming the change and the items', async () => {
  const p = person(DECLINE);
  const h = await startModernHarness({ elicitation: p.elicitation, env: { TAIGA_TOOLSETS: 'all', TAIGA_CONFIRM_BULK_THRESHOLD: '2' } });
  try {
    const two = await writesDuring(h.emulator, () => h.call('bulk_update_tasks', { project_id: 'project-1', task_ids: ['#2', '#3'], assigned_to: 'admin' }));
    assert.equal(two.length, 2);
    assert.deepEqual(p.questions, []);
    let result!: CallToolResult;
    assert.deepEqual(await writesDuring(h.emulator, async () => (result = await h.call('bulk_update_tasks', { project_id: 'project-1', task_ids: ['#2', '#3', '#4'], assigned_to: 'admin' }))), []);
    assert.equal(errorOf(result).code, 'DECLINED');
    assert.deepEqual(p.questions, ['Set assigned_to "admin" on 3 tasks of project-1: #2, #3, #4?']);
    const subjects = ['a', 'b', 'c'].map((subject) => ({ subject }));
    assert.deepEqual(await writesDuring(h.emulator, () => h.call('bulk_create_issues', { project_id: 'project-1', issues: subjects })), []);
    assert.equal(p.questions.at(-1), 'Create 3 issues in project-1: "a", "b", "c"?');
    assert.deepEqual(await writesDuring(h.emulator, () => h.call('move_user_stories_to_sprint', { project_id: 'project-1', user_story_ids: ['#1', '#5', '#9'], sprint: null })), []);
    assert.equal(p.questions.at(-1), 'Move 3 user stories (#1, #5, #9) of project-1 to the backlog?');
    const twelve = Array.from({ length: 12 }, (_, i) => ({ subject: `issue ${i + 1}` }));
    assert.deepEqual(await writesDuring(h.emulator, () => h.call('bulk_create_issues', { project_id: 'project-1', issues: twelve })), []);
    assert.equal(p.questions.at(-1), `Create 12 issues in project-1: ${twelve.slice(0, 10).map((i) => `"${i.subject}"`).join(', ')} and 2 more?`);
    p.answer = ACCEPT;
    assert.equal((await writesDuring(h.emulator, () => h.call('bulk_create_issues', { project_id: 'project-1', issues: subjects }))).length, 3);
  } finally {
    await h.close();
  }
});

test('confirmations "off": a client that can ask is not asked', async () => {
  const p = person(DECLINE);
  const h = await startHarness({ elicitation: p.elicitation, env: { TAIGA_CONFIRMATIONS: 'OFF' } });
  try {
    assert.deepEqual(await writesDuring(h.emulator, () => h.call('delete_user_story', { user_story_id: '#1', project_id: 'project-1' })), ['DELETE /api/v1/userstories/1']);
    assert.deepEqual(p.questions, []);
  } finally {
    await h.close();
  }
});

test('a client that cannot ask: "ask" (the default) goes on as before; "require" refuses with the question, and confirm: true lets it through', async () => {
  const emulator = await startEmulator();
  const asking = await startHarness({ emulator });
  const requiring = await startHarness({ emulator, env: { TAIGA_CONFIRMATIONS: 'require', TAIGA_TOOLSETS: 'all' } });
  try {
    assert.deepEqual(await writesDuring(emulator, () => asking.call('delete_user_story', { user_story_id: '#1', project_id: 'project-1' })), ['DELETE /api/v1/userstories/1']);
    assert.ok(!asking.client.getInstructions()?.includes('confirm: true'), 'no confirm argument to speak of');
    assert.ok(!(await asking.client.listTools()).tools.some((t) => t.inputSchema.properties?.['confirm']));

    const tools = (await requiring.client.listTools()).tools;
    const withConfirm = tools.filter((t) => t.inputSchema.properties?.['confirm']).map((t) => t.name);
    assert.ok(['delete_project', 'delete_task', 'bulk_update_tasks', 'close_sprint', 'move_user_stories_to_sprint'].every((n) => withConfirm.includes(n)), withConfirm.join(','));
    assert.ok(!withConfirm.includes('update_task') && !withConfirm.includes('get_task'));
    assert.match(requiring.client.getInstructions() ?? '', /confirm: true only after the user agreed/);

    let result!: CallToolResult;
    assert.deepEqual(await writesDuring(emulator, async () => (result = await requiring.call('delete_user_story', { user_story_id: '#5', project_id: 'project-1' }))), []);
    const refused = errorOf(result);
    assert.equal(refused.code, 'CONFIRMATION_REQUIRED');
    assert.equal(refused.details?.['question'], 'Delete user story #5 "Add tests for bulk operations" in project-1, with its tasks?');
    assert.match(refused.hint ?? '', /confirm: true/);
    assert.equal(errorOf(await requiring.call('update_task', { task_id: '#2', project_id: 'project-1', confirm: true })).code, 'INVALID_INPUT', 'no confirm on a tool that asks nothing');
    assert.deepEqual(await writesDuring(emulator, async () => (result = await requiring.call('delete_user_story', { user_story_id: '#5', project_id: 'project-1', confirm: true }))), ['DELETE /api/v1/userstories/2']);
    assert.equal(dataOf(result)['ref'], 5);
  } finally {
    await asking.close();
    await requiring.close();
    await emulator.close();
  }
});
