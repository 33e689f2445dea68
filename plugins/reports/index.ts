import { definePlugin } from '../../core/plugin/define.js';
import { getTimeline } from './tools/get-timeline.js';
import { getProjectStats } from './tools/get-project-stats.js';
import { standup } from './standup.js';

export default definePlugin({
  name: 'reports',
  version: '1.0.0',
  core: '^1.2.0',
  description: 'What changed (timelines) and the numbers a lead reports (points, velocity, counts).',
  dependencies: ['projects'],
  // Outside `default`: the default tool list is near its token budget, and these are asked for rarely.
  toolset: { id: 'reports', description: 'Timelines and project stats', default: false },
  prompts: [standup],
  tools: [getTimeline, getProjectStats],
});
