import { definePlugin } from '../../core/plugin/define.js';
import { BULK_TOOLSET, bulkCreateTool, bulkUpdateTool, workItemFields, workItemTools } from '../../core/work-items/index.js';
import { USER_STORY } from './kind.js';

export default definePlugin({
  name: 'user-stories',
  version: '1.1.0',
  core: '^1.1.0',
  description: 'Taiga user stories, with names and #refs, optimistic concurrency and batch changes.',
  dependencies: ['projects'],
  toolset: { id: 'user_stories', description: 'User stories', default: true },
  toolsets: [BULK_TOOLSET],
  fields: workItemFields(USER_STORY),
  tools: [...workItemTools(USER_STORY), bulkCreateTool(USER_STORY, 'stories', ['status', 'assigned_to', 'sprint', 'tags']), bulkUpdateTool(USER_STORY, ['status', 'assigned_to', 'sprint'])],
});
