import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinPlugins } from '../../plugins/index.js';
import { callSchema } from '../../core/call-schema.js';
import { describeTool } from '../../core/tool-schemas.js';
import { builtinDescriptors } from '../../core/tool-descriptors-write.js';
import { descriptorOf, fits, PREBUILT_PATH } from '../../core/tool-descriptors.js';
import { TaigaMcpError } from '../../core/errors.js';

test('the descriptors the build wrote are exactly what the code computes (rebuild if this fails)', () => {
  const written = JSON.parse(readFileSync(PREBUILT_PATH, 'utf8')) as unknown;
  assert.deepEqual(written, builtinDescriptors());
});

test('a prebuilt descriptor is used only for the tool it describes', async () => {
  const plugin = builtinPlugins.find((p) => p.name === 'user-stories')!;
  const tool = plugin.tools.find((t) => t.name === 'list_user_stories')!;
  const schema = callSchema(tool);
  assert.equal(await descriptorOf(tool, plugin, schema), await descriptorOf(tool, plugin, schema), 'the same prebuilt object each time');
  const changed = { ...tool, description: 'Changed since the build.' };
  const fresh = await descriptorOf(changed, plugin, callSchema(changed));
  assert.equal(fresh.description, 'Changed since the build.', 'a tool that no longer fits is described afresh');
  const prebuilt = await descriptorOf(tool, plugin, schema);
  assert.equal(fits(prebuilt, { ...tool, annotations: { ...tool.annotations, readOnlyHint: false } }, schema), false);
  const withField = { ...tool, input: { ...tool.input, entries: { ...tool.input.entries, extra: tool.input.entries['page']! } } } as typeof tool;
  assert.equal(fits(prebuilt, withField, callSchema(withField)), false);
  // A third-party plugin's tool of the same name never gets the built-in descriptor.
  const other = { ...plugin, tools: [changed] };
  assert.deepEqual(await descriptorOf(changed, other, callSchema(changed)), describeTool(changed));
});

test('a TaigaMcpError from another copy of the module is a TaigaMcpError (bundled CLI, plugins from the package)', async () => {
  const copy = (await import(`../../core/errors.js?copy=${Date.now()}`)) as typeof import('../../core/errors.js');
  assert.notEqual(copy.TaigaMcpError, TaigaMcpError);
  const err = new copy.TaigaMcpError('NOT_FOUND');
  assert.ok(err instanceof TaigaMcpError);
  assert.ok(new TaigaMcpError('NOT_FOUND') instanceof copy.TaigaMcpError);
  assert.equal(new Error('x') instanceof TaigaMcpError, false);
  assert.equal((null as unknown) instanceof TaigaMcpError, false);
});

test('a built-in tool shown by an MCP Apps view names it in _meta (both keys), a prebuilt descriptor without it does not fit, a third-party tool never gets it', async () => {
  const plugin = builtinPlugins.find((p) => p.name === 'sprints')!;
  const tool = plugin.tools.find((t) => t.name === 'get_sprint')!;
  const schema = callSchema(tool);
  const described = describeTool(tool);
  assert.deepEqual(described._meta, { ui: { resourceUri: 'ui://taiga-mcp/sprint' }, 'ui/resourceUri': 'ui://taiga-mcp/sprint' });
  assert.equal(describeTool(plugin.tools.find((t) => t.name === 'list_sprints')!)._meta, undefined);
  const { _meta: _, ...stale } = described;
  assert.equal(fits(stale, tool, schema), false, 'a descriptor written before the views were linked is computed afresh');
  assert.equal(fits(described, tool, schema), true);
  const thirdParty = { ...plugin, name: 'acme-sprints', tools: [tool] };
  assert.equal((await descriptorOf(tool, thirdParty, schema))._meta, undefined);
});
