import type { PluginDefinition } from '../core/plugin/types.js';
import auth from './auth/index.js';
import projects from './projects/index.js';
import userStories from './user-stories/index.js';
import tasks from './tasks/index.js';
import issues from './issues/index.js';
import epics from './epics/index.js';
import sprints from './sprints/index.js';
import wiki from './wiki/index.js';
import comments from './comments/index.js';
import attachments from './attachments/index.js';
import customAttributes from './custom-attributes/index.js';
import search from './search/index.js';
import reports from './reports/index.js';
import resolve from './resolve/index.js';
import projectSettings from './project-settings/index.js';
import notifications from './notifications/index.js';
import myWork from './my-work/index.js';

/** First-party plugins. Listed explicitly: nothing registers itself by being imported. */
export const builtinPlugins: readonly PluginDefinition[] = [auth, projects, userStories, tasks, issues, myWork, epics, sprints, wiki, comments, attachments, customAttributes, search, reports, resolve, projectSettings, notifications];
