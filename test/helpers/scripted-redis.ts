import { createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback server speaking just enough RESP2 for node-redis to connect, that answers each
 * command with what `reply(name)` returns (`+PONG`, `+OK` when it returns undefined). For replies a
 * real Redis cannot be made to give on cue; everything else is tested against real Redis.
 */
export class ScriptedRedis {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  port = 0;

  constructor(private readonly reply: (command: string) => string | undefined) {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      let pending = '';
      socket.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1');
        for (let parsed = parseCommand(pending); parsed; parsed = parseCommand(pending)) {
          pending = pending.slice(parsed.length);
          const name = parsed.name.toUpperCase();
          socket.write(`${this.reply(name) ?? (name === 'PING' ? '+PONG' : '+OK')}\r\n`);
        }
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Never waits on a client: its sockets are destroyed first. */
  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

/** The first complete command (`*n` then n bulk strings) of `text` and how many characters it took; undefined while incomplete. */
function parseCommand(text: string): { name: string; length: number } | undefined {
  let at = text.indexOf('\r\n');
  if (!text.startsWith('*') || at < 0) return undefined;
  const count = Number(text.slice(1, at));
  at += 2;
  let name = '';
  for (let i = 0; i < count; i++) {
    const end = text.indexOf('\r\n', at);
    if (end < 0) return undefined;
    const start = end + 2;
    const size = Number(text.slice(at + 1, end));
    if (text.length < start + size + 2) return undefined;
    if (i === 0) name = text.slice(start, start + size);
    at = start + size + 2;
  }
  return { name, length: at };
}
