// node:http front end: faults, recording, routing, authentication, body
// parsing and the JSON rendering rules of taiga-back.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenService } from './auth.js';
import { parseBody } from './body.js';
import type { Ctx } from './context.js';
import {
  ApiError, DJANGO_500_HTML, htmlNotFound, methodNotAllowed, taigaError, type Reply,
} from './http.js';
import { FaultKnobs, type Fault } from './knobs.js';
import { serveMedia } from './media.js';
import { parseMultipart } from './multipart.js';
import { MAX_BODY_BYTES, RequestLog, type OmittedBody } from './request-log.js';
import { Router } from './router.js';
import { State } from './state.js';

const PREFIX = '/api/v1';

export class EmulatorServer {
  readonly knobs = new FaultKnobs();
  readonly log: RequestLog;
  state = new State();
  readonly tokens: TokenService;
  private server: Server;
  private hanging = new Set<ServerResponse>();
  apiUrl = '';
  mediaUrl: string | undefined;

  constructor(private readonly router: Router, accessTtlSeconds: number, record = true) {
    this.tokens = new TokenService(accessTtlSeconds);
    this.log = new RequestLog(record);
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: actual } = this.server.address() as AddressInfo;
    const url = `http://127.0.0.1:${actual}`;
    this.apiUrl = url + PREFIX;
    return url;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const record = this.log.add({
      method, path: url.pathname, query: Object.fromEntries(url.searchParams),
      body: this.log.recording ? safeBody(raw, req) : null, authorized: req.headers.authorization !== undefined, status: 0,
    });

    await this.knobs.takeHook(`${method} ${url.pathname}${url.search}`)?.();
    const fault = this.knobs.take(url.pathname + url.search, method);
    if (fault?.kind === 'reset') {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    const spoils = fault?.kind === 'resetAfterBody' || fault?.kind === 'slowBody';
    const reply = fault && !spoils ? faultReply(fault, req) : await this.dispatch(req, method, url, raw);
    if (this.knobs.latencyMs > 0) await new Promise((r) => setTimeout(r, this.knobs.latencyMs));
    record.status = reply.status;
    if (fault?.kind === 'resetAfterBody') return resetAfter(res, reply, fault.bytes);
    if (fault?.kind === 'slowBody') return this.trickle(res, reply, fault.tickMs ?? 200);
    send(res, reply, method === 'HEAD');
  }

  /** Headers now, then the body a byte at a time, until it is all out or the client gives up. */
  private trickle(res: ServerResponse, reply: Reply, tickMs: number): void {
    const { headers, payload } = encode(reply);
    res.writeHead(reply.status, headers);
    res.flushHeaders();
    this.hanging.add(res);
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= payload.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(payload.subarray(sent, sent + 1));
      sent += 1;
    }, tickMs);
    res.on('close', () => {
      clearInterval(timer);
      this.hanging.delete(res);
    });
  }

  private async dispatch(req: IncomingMessage, method: string, url: URL, raw: Buffer): Promise<Reply> {
    if (url.pathname.startsWith('/media/')) return serveMedia(this.state, method, url.pathname);
    if (!url.pathname.startsWith(PREFIX + '/')) return htmlNotFound();
    const path = url.pathname.slice(PREFIX.length);
    const match = this.router.match(path);
    if (!match) return htmlNotFound();
    const allow = { Allow: match.allow };
    let parsed: { value: unknown } | undefined;
    const ctx: Ctx = {
      state: this.state, tokens: this.tokens, method, path, headers: req.headers, params: match.params, user: null, url,
      query: Object.fromEntries(url.searchParams), apiUrl: this.apiUrl, mediaUrl: this.mediaUrl,
      body: () => (parsed ??= { value: parseBody(raw, req.headers) }).value,
    };
    try {
      ctx.user = this.tokens.authenticate(req.headers.authorization, this.state);
      const accept = req.headers.accept;
      if (accept && !/json|\*\/\*/.test(accept)) {
        throw taigaError(406, "Could not satisfy the request's Accept header", 'NotAcceptable');
      }
      if (method === 'OPTIONS') {
        return withHeaders({ status: 200, body: optionsMetadata(path) }, allow);
      }
      const handler = match.handlers[(method === 'HEAD' ? 'GET' : method) as 'GET'];
      if (!handler) throw methodNotAllowed(method);
      return withHeaders(await handler(ctx), allow);
    } catch (err) {
      if (err instanceof ApiError) return withHeaders(err.reply, allow);
      console.error('[taiga-emulator] handler crashed:', err);
      return serverError(req, false);
    }
  }
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...headers, ...reply.headers } };
}

function faultReply(fault: Fault, req: IncomingMessage): Reply {
  if (fault.kind === 'throttle') {
    const wait = fault.waitSeconds ?? 1;
    return {
      status: 429,
      body: {
        _error_message: `Request was throttled.Expected available in ${Math.trunc(wait)} seconds.`,
        _error_type: 'taiga.base.exceptions.Throttled',
      },
      headers: { 'X-Throttle-Wait-Seconds': String(Math.ceil(wait)) },
    };
  }
  return serverError(req, fault.html ?? false, fault.status ?? 500);
}

/** handler500: JSON text sent as text/html, or Django's HTML page. */
function serverError(_req: IncomingMessage, html: boolean, status = 500): Reply {
  return html
    ? { status, text: { contentType: 'text/html; charset=utf-8', content: DJANGO_500_HTML } }
    : { status, text: { contentType: 'text/html; charset=utf-8', content: '{"error": "Server application error"}' } };
}

function optionsMetadata(path: string) {
  const resource = path.split('/')[1] ?? '';
  const name = resource.replace(/(^|-)(\w)/g, (_m, _d: string, c: string) => ' ' + c.toUpperCase()).trim();
  return {
    name: `${name} List`, description: '', renders: ['application/json'],
    parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
  };
}

function encode(reply: Reply): { headers: Record<string, string>; payload: Buffer } {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | Buffer = '';
  if (reply.text) {
    headers['Content-Type'] = reply.text.contentType;
    payload = reply.text.content;
  } else if (reply.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    // Python's json.dumps(ensure_ascii=True)
    payload = JSON.stringify(reply.body).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  }
  const bytes = Buffer.from(payload);
  headers['Content-Length'] = String(bytes.length);
  return { headers, payload: bytes };
}

function send(res: ServerResponse, reply: Reply, headOnly: boolean): void {
  const { headers, payload } = encode(reply);
  res.writeHead(reply.status, headers);
  res.end(headOnly ? undefined : payload);
}

/**
 * The full Content-Length announced, part of the body sent, then the connection dropped. An answer
 * without a body has no part to send: the connection drops before it, after Taiga handled the request.
 */
function resetAfter(res: ServerResponse, reply: Reply, bytes: number | undefined): void {
  const { headers, payload } = encode(reply);
  if (payload.length === 0) {
    res.socket?.destroy();
    return;
  }
  res.writeHead(reply.status, headers);
  res.write(payload.subarray(0, Math.min(bytes ?? Math.floor(payload.length / 2), Math.max(payload.length - 1, 0))), () => res.socket?.destroy());
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The body for the request log: parsed when possible, raw text otherwise, null
 * when empty, a marker when large. Uploads are logged by size, whatever their
 * size (UploadedFile.toJSON), never by their bytes.
 */
function safeBody(raw: Buffer, req: IncomingMessage): unknown {
  if (raw.length === 0) return null;
  if (/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    return JSON.parse(JSON.stringify(parseMultipart(raw, req.headers['content-type'] ?? ''))) as unknown;
  }
  if (raw.length >= MAX_BODY_BYTES) return { omitted: true, bytes: raw.length } satisfies OmittedBody;
  try {
    return parseBody(raw, req.headers) ?? null;
  } catch {
    return raw.toString('utf8');
  }
}
