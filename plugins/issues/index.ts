import { workItemPlugin } from '../../core/work-items/index.js';
import { ISSUE } from './kind.js';
import { promoteIssueToUserStory } from './tools/promote-issue.js';
import { triageIssues } from './prompt.js';

export default workItemPlugin(ISSUE, {
  version: '1.0.0',
  description: 'Taiga issues with type, priority and severity by name; promotion to a user story.',
  daily: true,
  dependencies: ['projects', 'user-stories'],
  tools: [promoteIssueToUserStory],
  prompts: [triageIssues],
  bulk: { create: ['status', 'type', 'priority', 'severity', 'assigned_to', 'sprint', 'tags'], update: ['status', 'priority', 'severity', 'type', 'assigned_to'] },
});
