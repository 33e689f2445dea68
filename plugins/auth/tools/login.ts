import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { SessionManager } from '../../../core/sessions/manager.js';

export const login = defineTool({
  name: 'login',
  title: 'Log in to Taiga',
  description: 'Open a session as another Taiga account; pass its session_id to the other tools.',
  auth: 'none',
  input: v.strictObject({
    username: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
    password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
    host: v.optional(v.pipe(v.string(), v.maxLength(2048), v.description('A Taiga URL this server allows; default: its own.'))),
  }),
  output: v.object({ session_id: v.string(), username: v.string(), user_id: v.number(), expires_at: v.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const sessions = ctx.service<SessionManager>('sessions');
    return sessions.login({ ...args, source: ctx.service<string>('source'), principal: ctx.service<string>('principal'), signal: ctx.signal });
  },
  render: (r) => `Logged in as ${r.username}; session_id ${r.session_id} (expires ${r.expires_at}).`,
});
