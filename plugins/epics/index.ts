import { workItemPlugin } from '../../core/work-items/index.js';
import { EPIC } from './kind.js';
import { addUserStoryToEpic, listEpicUserStories, removeUserStoryFromEpic } from './tools/epic-links.js';

export default workItemPlugin(EPIC, {
  version: '1.0.0',
  description: 'Taiga epics and the user stories linked to them.',
  daily: false,
  dependencies: ['projects', 'user-stories'],
  tools: [listEpicUserStories, addUserStoryToEpic, removeUserStoryFromEpic],
});
