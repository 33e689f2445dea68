import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toJsonSchema } from '@valibot/to-json-schema';
import { ConfigSchema } from './schema.js';
import { builtinPlugins } from '../../plugins/index.js';

type Json = Record<string, unknown>;

/**
 * The JSON Schema editors use for a config file; generated from the valibot schema at build, with the
 * built-in plugins' option schemas under `plugins.options.<name>`.
 */
export function configJsonSchema(): Json {
  const schema = toJsonSchema(ConfigSchema, { target: 'draft-07' }) as Json;
  const options = ((((schema['properties'] as Json)['plugins'] as Json)['properties'] as Json)['options'] as Json);
  options['properties'] = Object.fromEntries(
    builtinPlugins.filter((p) => p.options).map((p) => {
      const { $schema: _s, ...rest } = toJsonSchema(p.options!, { target: 'draft-07', errorMode: 'ignore' }) as Json;
      return [p.name, rest];
    }),
  );
  return { ...schema, title: 'taiga-mcp configuration' };
}

export const CONFIG_SCHEMA_PATH = fileURLToPath(new URL('../../../config/taiga-mcp.schema.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CONFIG_SCHEMA_PATH, JSON.stringify(configJsonSchema(), null, 2) + '\n');
}
