import { TaigaMcpError } from '../errors.js';
import type { SessionManager } from '../sessions/manager.js';
import { TaigaSession } from '../sessions/taiga-session.js';
import type { TaigaHosts } from '../taiga-hosts.js';
import type { Middleware, ToolCall } from './types.js';
import { provide } from './call-scope.js';

/**
 * Who is calling, as the transport said (stdio: "local"). A transport that names nobody fails
 * closed rather than sharing one principal among its callers.
 */
export function principalOf(call: Pick<ToolCall, 'principal'>): string {
  if (typeof call.principal === 'string' && call.principal !== '') return call.principal;
  throw new TaigaMcpError('INTERNAL', { message: 'The transport did not say who is calling.' });
}

/** Finds the caller's principal and session and puts them, and a Taiga API bound to it, into the call scope. */
export function auth(opts: { sessions: SessionManager; hosts: TaigaHosts }): Middleware {
  const { sessions, hosts } = opts;
  return async function authStage(call, next) {
    const principal = principalOf(call);
    provide(call, { principal });
    if (call.tool.auth === 'none') return next();
    const raw = call.rawArgs['session_id'];
    if (raw !== undefined && (typeof raw !== 'string' || raw.length === 0 || raw.length > 128)) {
      throw new TaigaMcpError('INVALID_INPUT', { details: { fields: { session_id: 'expected the session_id string returned by login' } } });
    }
    const caller = await sessions.authenticate(raw, principal, call.signal);
    call.session = { id: caller.view.id, username: caller.view.username, userId: caller.view.userId };
    call.rateKey = raw ?? `default|${principal}|${caller.apiUrl}`;
    provide(call, { session: caller.view, taiga: new TaigaSession(hosts.client(caller.apiUrl), caller.tokens, call.signal) });
    return next();
  };
}
