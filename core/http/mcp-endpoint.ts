import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import { createServerFactory, type Caller } from '../mcp/server.js';
import { notGranted } from '../access/grant.js';
import { protocolProblem } from '../mcp/protocol-guard.js';

export interface McpEndpoint {
  /** Serves one authenticated POST (or GET/DELETE, which the SDK answers 405) to /mcp. */
  /** `scopeChallenge`: the WWW-Authenticate of a call refused for a missing OAuth scope. */
  serve(req: IncomingMessage, res: ServerResponse, caller: Caller, scopeChallenge: (scope: string, description: string) => string): Promise<void>;
  close(): Promise<void>;
}

const jsonRpcError = (res: ServerResponse, status: number, id: string | number | null, code: number, message: string): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
};

/**
 * /mcp, stateless: one SDK server instance per request (any instance of taiga-mcp can serve any
 * request), progress streamed on the request's own SSE response. The body is read here, bounded,
 * and checked as on stdio (protocol-guard.ts) so that bad input gets the same short answers on
 * both transports; the SDK then gets the parsed value.
 */
export function createMcpEndpoint(app: App, opts: { maxBodyBytes: number; logger: Logger }): McpEndpoint {
  const { maxBodyBytes, logger } = opts;
  const onerror = (err: Error) => logger.warn({ err: err.message.slice(0, 200) }, 'MCP HTTP error');
  const handler = createMcpHandler(createServerFactory(app, undefined), { legacy: 'stateless', maxRequestBodySize: maxBodyBytes, onerror });
  const node = toNodeHandler(handler, { maxRequestBodySize: maxBodyBytes, onerror });

  return {
    async serve(req, res, caller, scopeChallenge) {
      const auth: AuthInfo = { token: '', clientId: caller.principal, scopes: [], extra: { principal: caller.principal, source: caller.source, grant: caller.grant } };
      Object.assign(req, { auth });
      if (req.method !== 'POST') return node(req, res);
      const body = await readBody(req, maxBodyBytes);
      if (body === 'too-large') return jsonRpcError(res, 413, null, -32600, `Message too large (the limit is ${maxBodyBytes} bytes).`);
      let value: unknown;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch {
        return jsonRpcError(res, 400, null, -32700, 'Parse error: the body is not JSON.');
      }
      const problem = protocolProblem(value);
      if (problem) {
        if (problem.id === undefined) return void res.writeHead(202).end();
        return jsonRpcError(res, problem.code === -32602 ? 200 : 400, problem.id, problem.code, problem.message);
      }
      const scoped = scopeRefusal(app, caller, value);
      if (scoped) {
        const error = notGranted(scoped.tool, scoped.refusal);
        const body = { jsonrpc: '2.0', id: scoped.id, error: { code: -32000, message: error.message, data: error.toJSON() } };
        return void res.writeHead(403, { 'content-type': 'application/json', 'www-authenticate': scopeChallenge(scoped.refusal.scope, `missing scope ${scoped.refusal.missing.join(' ')}`) }).end(JSON.stringify(body));
      }
      return node(req, res, value);
    },
    close: () => handler.close(),
  };
}

/**
 * A tools/call that the token's scopes do not reach: answered at the HTTP level, 403 with
 * `insufficient_scope` and the scope to ask for (RFC 6750 §3.1), so that a client can step up its
 * authorization. The MCP layer refuses it too (mcp/server.ts): this only says it the HTTP way.
 */
function scopeRefusal(app: App, caller: Caller, message: unknown) {
  const { id, method, params } = message as { id?: string | number; method?: unknown; params?: { name?: unknown } };
  if (!caller.grant || method !== 'tools/call' || typeof params?.name !== 'string' || id === undefined) return undefined;
  const refusal = app.access(caller.grant).refusal(params.name);
  return refusal?.reason === 'scope' ? { id, tool: params.name, refusal } : undefined;
}

/**
 * The whole body, or 'too-large' once it passes the limit: the rest is read and dropped, not kept,
 * so that the client (still sending) gets to read the 413 instead of a broken pipe.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
