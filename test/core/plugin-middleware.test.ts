import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { asFunction, asValue } from 'awilix';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { createTestClient } from '../../core/testing/index.js';
import { definePlugin, defineTool } from '../../core/plugin/define.js';
import { TaigaMcpError } from '../../core/errors.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => emulator.close());

const seen: string[] = [];
const echo = defineTool({
  name: 'acme_whoami',
  title: 'Who am I',
  description: 'The caller and an id that went through name resolution.',
  input: v.strictObject({ project_id: v.union([v.number(), v.pipe(v.string(), v.maxLength(50))]) }),
  output: v.object({ username: v.string(), project: v.number(), tag: v.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ project_id }, ctx) {
    seen.push('handler');
    return { username: ctx.session.username, project: await ctx.resolve.projectId(project_id), tag: ctx.service<string>('acmeTag') };
  },
});
const plugin = definePlugin({
  name: 'acme',
  version: '1.2.3',
  core: '^1.0.0',
  toolset: { id: 'acme', description: 'acme', default: true },
  tools: [echo],
  services: { acmeTag: asValue('from-a-service') },
  middleware: [
    { name: 'before-auth', place: 'before-auth', create: (tool, options) => async (call, next) => { seen.push(`before-auth:${tool}:${String(options['flag'])}:${call.session ? 'auth' : 'no-auth'}`); await next(); } },
    { name: 'before-handler', place: 'before-handler', create: () => async (call, next) => { seen.push(`before-handler:${call.args ? 'validated' : 'raw'}`); if (call.rawArgs['project_id'] === 'blocked-by-policy') throw new TaigaMcpError('PERMISSION_DENIED', { message: 'policy' }); await next(); } },
  ],
});

test('plugin middleware runs at its declared place, with its options; plugin services resolve', async () => {
  const kit = await createTestClient({
    plugins: [plugin],
    config: { taiga: { url: emulator.url, allowHttp: true, username: 'admin', password: 'taigaadmin' }, plugins: { options: { acme: { flag: 'on' } } } },
  });
  try {
    const result = await kit.client.callTool({ name: 'acme_whoami', arguments: { project_id: 'project-1' } });
    assert.deepEqual(result.structuredContent, { username: 'admin', project: 1, tag: 'from-a-service' });
    assert.deepEqual(seen.filter((s) => s.startsWith('before-auth') && s.includes('acme_whoami')).slice(0, 1), ['before-auth:acme_whoami:on:no-auth']);
    assert.ok(seen.indexOf('before-handler:validated') < seen.indexOf('handler'));
    const refused = await kit.client.callTool({ name: 'acme_whoami', arguments: { project_id: 'blocked-by-policy' } });
    assert.equal(refused.isError, true);
    assert.match(JSON.stringify(refused.content), /PERMISSION_DENIED/);
  } finally {
    await kit.close();
  }
});

test('a scoped plugin service is built per call from that call and disposed when the call ends', async () => {
  const disposed: string[] = [];
  const counter = defineTool({
    name: 'acme_scoped',
    title: 'Scoped',
    description: 'A value from a service scoped to the call.',
    input: v.strictObject({}),
    output: v.object({ label: v.string() }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handler(_args, ctx) {
      return { label: ctx.service<string>('acmeLabel') };
    },
  });
  const scoped = definePlugin({
    name: 'acme-scoped',
    version: '1.0.0',
    core: '^1.0.0',
    toolset: { id: 'acme-scoped', description: 'acme', default: true },
    tools: [counter],
    services: {
      acmeLabel: asFunction(({ session, requestId }: { session: { username: string }; requestId: string }) => `${session.username}:${requestId}`)
        .scoped()
        .disposer((label: string) => void disposed.push(label)),
    },
  });
  const kit = await createTestClient({ plugins: [scoped], config: { taiga: { url: emulator.url, allowHttp: true, username: 'admin', password: 'taigaadmin' } } });
  try {
    const labels: string[] = [];
    for (let i = 0; i < 2; i++) labels.push(((await kit.client.callTool({ name: 'acme_scoped', arguments: {} })).structuredContent as { label: string }).label);
    assert.match(labels[0]!, /^admin:[0-9a-f]{8}$/);
    assert.notEqual(labels[0], labels[1], 'one instance per call');
    assert.deepEqual(disposed, labels);
  } finally {
    await kit.close();
  }
});
