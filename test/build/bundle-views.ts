// Build step: writes each MCP Apps view to dist/core/views/<name>.html, which the server serves as
// its ui:// resources (core/views.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleView, VIEW_NAMES } from './views.js';

const out = fileURLToPath(new URL('../../core/views/', import.meta.url));
mkdirSync(out, { recursive: true });
for (const view of await Promise.all(VIEW_NAMES.map((name) => bundleView(name)))) writeFileSync(`${out}${view.name}.html`, view.html);
