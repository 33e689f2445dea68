import { workItemPlugin } from '../../core/work-items/index.js';
import { USER_STORY } from './kind.js';

export default workItemPlugin(USER_STORY, {
  version: '1.1.0',
  description: 'Taiga user stories, with names and #refs, optimistic concurrency and batch changes.',
  daily: true,
  bulk: { list: 'stories', create: ['status', 'assigned_to', 'sprint', 'tags'], update: ['status', 'assigned_to', 'sprint'] },
});
