import { definePlugin } from '../../core/plugin/define.js';
import { resolveRef } from './tools/resolve-ref.js';

export default definePlugin({
  name: 'resolve',
  version: '1.0.0',
  core: '^1.1.0',
  description: 'What a #ref or a pasted Taiga web link is.',
  dependencies: ['projects'],
  toolset: { id: 'resolve', description: 'Refs and links people paste', default: false },
  tools: [resolveRef],
});
