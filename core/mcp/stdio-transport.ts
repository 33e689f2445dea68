import type { Readable, Writable } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { protocolProblem, type ProtocolProblem } from './protocol-guard.js';

const NEWLINE = 0x0a;

export interface LineTransportOptions {
  /** A line longer than this is dropped (and answered with an error); the connection goes on. */
  maxLineBytes: number;
  /** Why the connection ended: stdin closed, stdout gone, or close(). */
  onEnded(reason: string): void;
  /** Out-of-band notes for the log (a dropped line, an unanswerable message). */
  onNote(note: string): void;
}

/**
 * MCP over stdio as newline-delimited JSON-RPC, for a process that must not die or go deaf on bad
 * input: a malformed line is answered with -32700, a valid JSON value that is not a JSON-RPC
 * message with -32600, a request with params of the wrong shape with a short -32602 (see
 * protocol-guard.ts), and a line over the limit is skipped to its end and answered with -32600;
 * the next line is served as usual. stdout carries only JSON-RPC messages.
 */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line that is already too long: its bytes are dropped up to the next newline. */
  private skipping = false;
  private closed = false;
  private readonly onData = (chunk: Buffer) => this.read(chunk);
  private readonly onEnd = () => void this.end('stdin closed');
  private readonly onOutputError = (err: NodeJS.ErrnoException) => void this.end(`stdout failed (${err.code ?? err.message})`);

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly opts: LineTransportOptions,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.once('end', this.onEnd);
    this.input.once('close', this.onEnd);
    this.output.on('error', this.onOutputError);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    if (!this.output.write(`${JSON.stringify(message)}\n`)) await new Promise<void>((resolve) => this.output.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    this.end('closed');
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('close', this.onEnd);
    this.pending = [];
    this.opts.onEnded(reason);
    this.onclose?.();
  }

  private read(chunk: Buffer): void {
    let start = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, start)) {
      this.append(chunk.subarray(start, at));
      this.lineDone();
      start = at + 1;
    }
    this.append(chunk.subarray(start));
  }

  private append(part: Buffer): void {
    if (this.skipping || part.length === 0) return;
    if (this.pendingBytes + part.length > this.opts.maxLineBytes) {
      this.skipping = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  private lineDone(): void {
    const skipped = this.skipping;
    // A CRLF ending needs no stripping: \r is JSON whitespace.
    const line = this.pending.length === 1 ? this.pending[0]!.toString('utf8') : Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
    if (skipped) {
      this.opts.onNote(`dropped a line over ${this.opts.maxLineBytes} bytes`);
      return this.refuse({ id: null, code: -32600, message: `Message too large (the limit is ${this.opts.maxLineBytes} bytes).` });
    }
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return this.refuse({ id: null, code: -32700, message: 'Parse error: the line is not JSON.' });
    }
    const problem = protocolProblem(value);
    if (problem) return this.refuse(problem);
    this.onmessage?.(value as JSONRPCMessage);
  }

  private refuse(problem: ProtocolProblem): void {
    // A notification gets no answer, by JSON-RPC's rules; nor does a response that makes no sense.
    if (problem.id === undefined) return this.opts.onNote(problem.message);
    void this.send({ jsonrpc: '2.0', id: problem.id, error: { code: problem.code, message: problem.message } } as unknown as JSONRPCMessage);
  }
}
