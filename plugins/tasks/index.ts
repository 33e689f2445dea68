import { workItemPlugin } from '../../core/work-items/index.js';
import { TASK } from './kind.js';

export default workItemPlugin(TASK, {
  version: '1.0.0',
  description: 'Taiga tasks: under a user story or alone, with names, #refs and optimistic concurrency.',
  daily: true,
  dependencies: ['projects', 'user-stories'],
  bulk: { create: ['user_story', 'status', 'assigned_to', 'sprint', 'tags'], update: ['status', 'assigned_to', 'sprint'] },
});
