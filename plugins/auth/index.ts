import { definePlugin } from '../../core/plugin/define.js';
import { login } from './tools/login.js';
import { logout } from './tools/logout.js';
import { sessionStatus } from './tools/session-status.js';

/**
 * Session tools. They touch no Taiga data, so they are read-only for Taiga and stay
 * available in read-only mode (login can still be disabled by sessions.loginEnabled).
 */
export default definePlugin({
  name: 'auth',
  version: '1.0.0',
  core: '^1.0.0',
  description: 'Sessions: login, logout, session_status.',
  toolset: { id: 'auth', description: 'Log in and manage sessions', default: true },
  tools: [login, logout, sessionStatus],
});
