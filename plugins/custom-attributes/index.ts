import { definePlugin } from '../../core/plugin/define.js';
import { getCustomAttributeValues, listCustomAttributes, setCustomAttributeValues } from './tools/custom-attributes.js';

export default definePlugin({
  name: 'custom-attributes',
  version: '1.0.0',
  core: '^1.1.0',
  description: 'Custom fields of epics, user stories, tasks and issues, by name, checked against their types.',
  dependencies: ['projects'],
  toolset: { id: 'custom_attributes', description: 'Custom fields by name', default: false },
  tools: [listCustomAttributes, getCustomAttributeValues, setCustomAttributeValues],
});
