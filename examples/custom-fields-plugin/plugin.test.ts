import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPluginConforms, createTestClient } from '../../core/testing/index.js';
import plugin from './index.js';

test('the example plugin passes the conformance checks', () => {
  assertPluginConforms(plugin);
});

test('the example plugin loads beside the built-ins and its tools are listed when enabled', async () => {
  const kit = await createTestClient({
    plugins: [plugin],
    config: { taiga: { url: 'https://taiga.example.com' }, tools: { toolsets: ['default', 'acme_custom_fields'] } },
  });
  try {
    const { tools } = await kit.client.listTools();
    assert.ok(tools.some((t) => t.name === 'acme_set_story_custom_fields'));
  } finally {
    await kit.close();
  }
});
