import { asValue } from 'awilix';
import { TaigaMcpError } from '../errors.js';
import type { SessionManager } from '../sessions/manager.js';
import { TaigaSession } from '../sessions/taiga-session.js';
import type { TaigaHosts } from '../taiga-hosts.js';
import type { Middleware } from './types.js';

/** Finds the caller's session and puts it, and a Taiga API bound to it, into the call scope. */
export function auth(opts: { sessions: SessionManager; hosts: TaigaHosts }): Middleware {
  const { sessions, hosts } = opts;
  return async function authStage(call, next) {
    if (call.tool.auth === 'none') return next();
    const raw = call.rawArgs['session_id'];
    if (raw !== undefined && (typeof raw !== 'string' || raw.length === 0 || raw.length > 128)) {
      throw new TaigaMcpError('INVALID_INPUT', { details: { fields: { session_id: 'expected the session_id string returned by login' } } });
    }
    const caller = await sessions.authenticate(raw, call.signal);
    call.session = { id: caller.view.id, username: caller.view.username, userId: caller.view.userId };
    call.rateKey = raw ?? `default|${caller.apiUrl}`;
    call.scope.register({
      session: asValue(caller.view),
      taiga: asValue(new TaigaSession(hosts.client(caller.apiUrl), caller.tokens, call.signal)),
    });
    return next();
  };
}
