import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tool } from '@modelcontextprotocol/server';
import { builtinPlugins } from '../plugins/index.js';
import { describeTool } from './tool-schemas.js';
import { PREBUILT_PATH } from './tool-descriptors.js';

/** Every built-in tool's tools/list entry, as the code computes it (see tool-descriptors.ts). */
export function builtinDescriptors(): Tool[] {
  return builtinPlugins.flatMap((p) => p.tools.map((t) => describeTool(t)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(PREBUILT_PATH, `${JSON.stringify(builtinDescriptors())}\n`);
}
