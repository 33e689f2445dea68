import { definePlugin } from '../../core/plugin/define.js';
import { addComment, deleteComment, editComment, listComments } from './tools/comments.js';
import { getHistory } from './tools/history-tool.js';

export default definePlugin({
  name: 'comments',
  version: '1.0.0',
  core: '^1.1.0',
  description: 'Comments and change history on epics, user stories, tasks, issues and wiki pages.',
  dependencies: ['projects'],
  toolset: { id: 'comments', description: 'Comments and history', default: false },
  tools: [listComments, addComment, editComment, deleteComment, getHistory],
});
