import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toJsonSchema } from '@valibot/to-json-schema';
import { ConfigSchema } from './schema.js';

/** The JSON Schema editors use for taiga-mcp.config.json; generated from the valibot schema at build. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(ConfigSchema, { target: 'draft-07' }) as Record<string, unknown>;
  return { ...schema, title: 'taiga-mcp configuration' };
}

export const CONFIG_SCHEMA_PATH = fileURLToPath(new URL('../../../config/taiga-mcp.schema.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CONFIG_SCHEMA_PATH, JSON.stringify(configJsonSchema(), null, 2) + '\n');
}
