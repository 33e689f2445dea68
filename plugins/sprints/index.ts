import { definePlugin } from '../../core/plugin/define.js';
import { getSprint, listSprints } from './tools/read-sprints.js';
import { createSprint, deleteSprint, updateSprint } from './tools/write-sprints.js';
import { closeSprint, moveUserStoriesToSprint } from './tools/move-stories.js';
import { reorderUserStories } from './tools/reorder-stories.js';
import { planSprint } from './prompt.js';

export default definePlugin({
  name: 'sprints',
  version: '1.0.0',
  core: '^1.2.0',
  description: 'Taiga sprints (milestones): plan, move stories, close.',
  dependencies: ['projects', 'user-stories'],
  toolset: { id: 'sprints', description: 'Sprints: plan, move stories, close', default: false },
  prompts: [planSprint],
  tools: [listSprints, getSprint, createSprint, updateSprint, deleteSprint, closeSprint, moveUserStoriesToSprint, reorderUserStories],
});
