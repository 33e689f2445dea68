import { connect, type NetConnectOpts } from 'node:net';

/** `host:port` ([IPv6]:port) for TCP, or an absolute path for clamd's unix socket. */
export type ClamdAddress = { host: string; port: number } | { path: string };

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]{1,253})):(\d{1,5})$/;

export function clamdAddress(text: string): ClamdAddress | undefined {
  if (text.startsWith('/')) return { path: text };
  const m = HOST_PORT.exec(text);
  const port = Number(m?.[3]);
  return m && port >= 1 && port <= 65535 ? { host: m[1] ?? m[2]!, port } : undefined;
}

export type Verdict = { clean: true } | { clean: false; signature: string };

/** Why there is no verdict: the scanner cannot be reached, took too long, refused the size, or answered something else. */
export type NoVerdictReason = 'unreachable' | 'timeout' | 'too_large' | 'error';

export class NoVerdict extends Error {
  constructor(readonly reason: NoVerdictReason, message: string) {
    super(message);
  }
}

/** clamd reads a chunk into memory whole: small chunks keep both sides' buffers small. */
const CHUNK_BYTES = 64 * 1024;
/** A reply is one short line; a scanner that sends more is not clamd. */
const MAX_REPLY_BYTES = 4096;

/**
 * Streams `data` to clamd with zINSTREAM (each chunk prefixed with its length as 4 bytes, big-endian;
 * a zero length ends the stream) and reads its one NUL-terminated reply. Everything (connecting,
 * sending, waiting for the verdict) must fit in `timeoutMs`.
 */
export function instream(address: ClamdAddress, data: AsyncIterable<Buffer>, timeoutMs: number, signal: AbortSignal): Promise<Verdict> {
  return new Promise<Verdict>((resolve, reject) => {
    const socket = connect(address as NetConnectOpts);
    let connected = false;
    let settled = false;
    let reply = Buffer.alloc(0);
    // A later outcome (the 'close' that follows every other) changes nothing: the promise keeps its first.
    const settle = (outcome: Verdict | Error): void => {
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(() => settle(new NoVerdict('timeout', `no verdict within ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return onAbort();

    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const end = reply.indexOf(0);
      if (end >= 0) settle(verdictOf(reply.subarray(0, end).toString('utf8')));
      else if (reply.length > MAX_REPLY_BYTES) settle(new NoVerdict('error', `a reply longer than ${MAX_REPLY_BYTES} bytes`));
    });
    // A reply counts only once its NUL has come: a cut one ("stream: OK" of a longer line) is no verdict.
    const closed = () => new NoVerdict('error', 'the connection closed without a verdict');
    socket.on('error', (err: NodeJS.ErrnoException) => settle(connected ? closed() : new NoVerdict('unreachable', err.code ?? err.message)));
    socket.on('close', () => settle(closed()));
    socket.on('connect', () => {
      connected = true;
      // What the data source throws (the file changed, could not be read) is the caller's: passed on as it is.
      void send().catch((err: Error) => settle(err));
    });

    async function send(): Promise<void> {
      // Once there is an outcome the socket is gone (its 'close' has passed): nothing more is written, or read from the source.
      const write = (buf: Buffer) => (settled || socket.write(buf) ? undefined : new Promise<void>((done) => socket.once('drain', done).once('close', done)));
      await write(Buffer.from('zINSTREAM\0'));
      for await (const piece of data) {
        for (let at = 0; at < piece.length; at += CHUNK_BYTES) {
          const part = piece.subarray(at, at + CHUNK_BYTES);
          const length = Buffer.alloc(4);
          length.writeUInt32BE(part.length);
          await write(Buffer.concat([length, part]));
        }
        if (settled) return;
      }
      await write(Buffer.alloc(4));
    }
  });
}

/** `stream: OK`, `stream: <signature> FOUND`, or an error line (`INSTREAM size limit exceeded. ERROR`). */
function verdictOf(text: string): Verdict | NoVerdict {
  const line = text.trim();
  if (line === 'stream: OK') return { clean: true };
  const found = /^stream: (.+) FOUND$/s.exec(line);
  if (found) return { clean: false, signature: found[1]! };
  if (/size limit exceeded/.test(line)) return new NoVerdict('too_large', line);
  return new NoVerdict('error', `clamd answered ${JSON.stringify(line.slice(0, 200))}`);
}
