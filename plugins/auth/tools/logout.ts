import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { SessionManager } from '../../../core/sessions/manager.js';

export const logout = defineTool({
  name: 'logout',
  title: 'Log out',
  description: 'Close a session opened with login.',
  auth: 'none',
  input: v.strictObject({ session_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)) }),
  output: v.object({ status: v.literal('logged_out') }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ session_id }, ctx) {
    await ctx.service<SessionManager>('sessions').logout(session_id, ctx.service<string>('principal'));
    return { status: 'logged_out' as const };
  },
  render: () => 'Logged out.',
});
