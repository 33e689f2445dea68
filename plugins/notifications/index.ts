import { definePlugin } from '../../core/plugin/define.js';
import { listNotifications, markNotificationsRead } from './tools/notifications.js';
import { setNotifyLevel } from './tools/notify-level.js';

export default definePlugin({
  name: 'notifications',
  version: '1.0.0',
  core: '^1.2.0',
  description: "Taiga's web notifications and per-project notification levels.",
  toolset: { id: 'notifications', description: 'Notifications and notify levels', default: false },
  tools: [listNotifications, markNotificationsRead, setNotifyLevel],
});
