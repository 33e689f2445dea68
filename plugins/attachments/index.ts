import { definePlugin } from '../../core/plugin/define.js';
import { AttachmentOptions } from './options.js';
import { deleteAttachment, listAttachments, uploadAttachment } from './tools/attachments.js';
import { downloadAttachment } from './tools/download.js';

export default definePlugin({
  name: 'attachments',
  version: '1.0.0',
  core: '^1.1.0',
  description: 'Files attached to epics, user stories, tasks, issues and wiki pages, with size, type and folder limits.',
  dependencies: ['projects'],
  toolset: { id: 'attachments', description: 'Attachments: upload, download, delete', default: false },
  options: AttachmentOptions,
  tools: [listAttachments, uploadAttachment, downloadAttachment, deleteAttachment],
});
