import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { SessionManager } from '../../../core/sessions/manager.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const sessionStatus = defineTool({
  name: 'session_status',
  title: 'Session status',
  description: 'Whether a session is active, whose it is and when it expires.',
  auth: 'none',
  input: v.strictObject({ session_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)) }),
  output: v.object({
    active: v.boolean(),
    username: v.string(),
    created_at: v.string(),
    expires_at: v.string(),
    last_accessed: v.string(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ session_id }, ctx) {
    const s = await ctx.service<SessionManager>('sessions').status(session_id, ctx.service<string>('principal'));
    return { active: true, username: s.username, created_at: iso(s.createdAt), expires_at: iso(s.expiresAt), last_accessed: iso(s.lastAccessedAt) };
  },
  render: (r) => `Active session of ${r.username}; expires ${r.expires_at}.`,
});
