import type { PluginDefinition } from '../core/plugin/types.js';
import auth from './auth/index.js';
import projects from './projects/index.js';
import userStories from './user-stories/index.js';
import tasks from './tasks/index.js';
import issues from './issues/index.js';
import epics from './epics/index.js';

/** First-party plugins. Listed explicitly: nothing registers itself by being imported. */
export const builtinPlugins: readonly PluginDefinition[] = [auth, projects, userStories, tasks, issues, epics];
