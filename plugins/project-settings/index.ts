import { definePlugin } from '../../core/plugin/define.js';
import { deleteProjectSetting, listProjectSettings, setProjectSetting } from './tools/settings-tools.js';

export default definePlugin({
  name: 'project-settings',
  version: '1.0.0',
  core: '^1.1.0',
  description: 'Project settings for admins: statuses, points, priorities, severities, issue types, tag colours, custom field definitions.',
  dependencies: ['projects'],
  toolset: { id: 'project_settings', description: 'Project settings (admins)', default: false },
  tools: [listProjectSettings, setProjectSetting, deleteProjectSetting],
});
