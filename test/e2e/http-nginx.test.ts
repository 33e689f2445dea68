import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Emulator } from '../emulator/index.js';
import { legacyHttpClient, modernHttpClient, type HttpMcp } from '../helpers/http-server.js';
import { startDeployment, type Deployment } from '../helpers/deployment.js';

// The documented deployment (examples/deploy/nginx.conf) with a real nginx in front of two
// instances of the installed package sharing a real Redis: MCP clients of both eras work through
// it, and keep working, sessions included, when one instance is killed.
let deployment: Deployment;
let emulator: Emulator;
let instances: HttpMcp[];
let lbUrl: string;
let key: string;

before(async () => {
  deployment = await startDeployment();
  ({ emulator, instances, lbUrl, key } = deployment);
});
after(async () => {
  await deployment?.stop();
});

test('through nginx: both client eras list tools and call them, progress included', async () => {
  const legacy = await legacyHttpClient(lbUrl, key);
  const modern = await modernHttpClient(lbUrl, key);
  try {
    assert.ok((await legacy.listTools()).tools.length > 30);
    const progress: number[] = [];
    const result = (await modern.callTool(
      { name: 'bulk_create_tasks', arguments: { project_id: 'project-2', tasks: [{ subject: 'a' }, { subject: 'b' }, { subject: 'c' }] } },
      { onprogress: (p) => progress.push(p.progress) },
    )) as CallToolResult;
    assert.ok(!result.isError, JSON.stringify(result.content).slice(0, 300));
    assert.ok(progress.length >= 2, 'progress came through nginx unbuffered');
  } finally {
    await legacy.close();
    await modern.close();
  }
});

test('through nginx: kill -9 one instance; every later call succeeds on the other, the login session too', { timeout: 60_000 }, async () => {
  const client = await modernHttpClient(lbUrl, key);
  try {
    const login = (await client.callTool({ name: 'login', arguments: { username: 'user8', password: '123123' } })) as CallToolResult;
    const sessionId = (login.structuredContent as { session_id: string }).session_id;
    for (let i = 0; i < 4; i++) assert.ok(!((await client.callTool({ name: 'list_projects', arguments: { session_id: sessionId } })) as CallToolResult).isError);
    instances[0]!.child.kill('SIGKILL');
    await instances[0]!.exited;
    const writesBefore = emulator.totalWrites;
    for (let i = 0; i < 10; i++) {
      const result = (await client.callTool({ name: 'list_projects', arguments: { session_id: sessionId } })) as CallToolResult;
      assert.ok(!result.isError, `call ${i} after the kill: ${JSON.stringify(result.content).slice(0, 200)}`);
    }
    const created = (await client.callTool({ name: 'create_task', arguments: { project_id: 'project-2', subject: 'after the kill', session_id: sessionId } })) as CallToolResult;
    assert.ok(!created.isError);
    assert.equal(emulator.totalWrites - writesBefore, 1, 'the write was sent once');
  } finally {
    await client.close();
  }
});
