import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertPluginConforms, createTestClient, dataOf, errorOf, startTestTaiga, type TestClient, type TestTaiga } from '../../core/testing/index.js';
import plugin from './index.js';

let taiga: TestTaiga;
let kit: TestClient;

/** A project admin adds the custom field, as ACME does in each project. */
async function addHoursField(name: string): Promise<void> {
  const auth = (await (await fetch(`${taiga.apiUrl}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'normal', username: 'admin', password: 'taigaadmin' }) })).json()) as { auth_token: string };
  const res = await fetch(`${taiga.apiUrl}/task-custom-attributes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth.auth_token}` }, body: JSON.stringify({ project: 1, name, type: 'number' }) });
  assert.equal(res.status, 201);
}

before(async () => {
  taiga = await startTestTaiga();
  kit = await createTestClient({
    plugins: [plugin],
    config: { taiga: { url: taiga.url, allowHttp: true, username: 'admin', password: 'taigaadmin' }, tools: { toolsets: ['default', 'acme_time'] }, plugins: { options: { 'acme-time': { field: 'Hours' } } } },
  });
});
after(async () => {
  await kit.close();
  await taiga.close();
});

test('the example plugin passes the conformance checks', () => {
  assertPluginConforms(plugin);
});

test('without the custom field, the tool says what an admin must add; nothing is written', async () => {
  const writes = taiga.totalWrites;
  const err = errorOf(await kit.call('acme_log_time', { task_id: '#2', project_id: 'project-1', hours: 1, note: 'x' }));
  assert.equal(err.code, 'INVALID_INPUT');
  assert.match(err.message, /no number custom field "Hours"/);
  assert.equal(taiga.totalWrites, writes);
});

test('log time twice, then report it per task; a stale version writes nothing', async () => {
  await addHoursField('Hours');
  const first = dataOf<{ total_hours: number; version: number }>(await kit.call('acme_log_time', { task_id: '#2', project_id: 'project-1', hours: 1.5, note: 'fixed the bug' }));
  assert.equal(first.total_hours, 1.5);
  const second = dataOf<{ total_hours: number }>(await kit.call('acme_log_time', { task_id: '#2', project_id: 'project-1', hours: 2, note: 'tests', version: first.version }));
  assert.equal(second.total_hours, 3.5);
  const writes = taiga.totalWrites;
  assert.equal(errorOf(await kit.call('acme_log_time', { task_id: '#2', project_id: 'project-1', hours: 2, note: 'again', version: first.version })).code, 'VERSION_CONFLICT');
  assert.equal(taiga.totalWrites, writes);
  const report = dataOf<{ tasks: Array<{ ref: number; hours: number }>; total_hours: number }>(await kit.call('acme_time_report', { project_id: 1, sprint: 'Sprint 2026-9-27' }));
  assert.equal(report.tasks.find((t) => t.ref === 2)?.hours, 3.5);
  assert.equal(report.total_hours, 3.5);
});

test('bad plugin options stop start-up, naming the key', async () => {
  await assert.rejects(createTestClient({ plugins: [plugin], config: { taiga: { url: taiga.url, allowHttp: true }, plugins: { options: { 'acme-time': { field: 42 } } } } }), /plugins\.options\.acme-time\.field/);
});
