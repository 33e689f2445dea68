/**
 * A tiny scripted HTTP server on 127.0.0.1:0 for the Taiga client tests: each test gives the
 * handler, the server records what it received. Not the Taiga emulator (test/emulator).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Received {
  method: string;
  /** Full request target, e.g. `/api/v1/userstories?project=1`. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: Received, res: ServerResponse, raw: IncomingMessage) => void;

export interface FakeTaiga {
  /** `http://127.0.0.1:<port>/api/v1` */
  baseUrl: string;
  received: Received[];
  /** Replace the handler (between tests sharing one server). */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeTaiga(handler: Handler = (_, res) => sendJson(res, 200, {})): Promise<FakeTaiga> {
  let current = handler;
  const received: Received[] = [];
  const server: Server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const req: Received = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(req);
      current(req, res, raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    received,
    handle: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/html; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

interface Exchange {
  name: string;
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/** One recorded exchange from test/fixtures/taiga-6.7.3/<group>.json, found from dist/ or from source. */
export function fixture(group: string, name: string): Exchange['response'] {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'test/fixtures/taiga-6.7.3'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('test/fixtures/taiga-6.7.3 not found');
    dir = up;
  }
  const file = JSON.parse(readFileSync(join(dir, 'test/fixtures/taiga-6.7.3', `${group}.json`), 'utf8')) as { exchanges: Exchange[] };
  const exchange = file.exchanges.find((e) => e.name === name);
  if (exchange === undefined) throw new Error(`no exchange ${group}/${name}`);
  return exchange.response;
}
