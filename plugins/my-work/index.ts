import type { PluginDefinition } from '../../core/plugin/types.js';
import { myWorkTool } from '../../core/work-items/tools/my-work.js';
import { USER_STORY } from '../user-stories/kind.js';
import { TASK } from '../tasks/kind.js';
import { ISSUE } from '../issues/kind.js';

/** One person's work across every project: what a team member asks first each morning. */
const myWork: PluginDefinition = {
  name: 'my-work',
  version: '1.0.0',
  core: '^1.2.0',
  description: 'Stories, tasks and issues assigned to or watched by one person, across all projects.',
  dependencies: ['user-stories', 'tasks', 'issues'],
  toolset: { id: 'my_work', description: 'My work across projects', default: true },
  tools: [myWorkTool([USER_STORY, TASK, ISSUE])],
};
export default myWork;
