import type { Writable } from 'node:stream';
import { TaigaMcpError } from '../errors.js';
import { startDeadline } from './deadline.js';
import type { TaigaHttp } from './http.js';
import { cancelledError, classifyTransportError, timeoutError } from './transport-errors.js';

export interface DownloadOptions {
  /** Sent only when the URL is on the API's own origin: a token never goes to another host. */
  authorization?: string;
  signal?: AbortSignal;
  timeoutMs: number;
  /** The body is refused past this many bytes (the part already written is the caller's to discard). */
  maxBytes: number;
}

/**
 * GETs a file Taiga serves (an attachment's URL, which may be on a media host) and streams it into
 * `sink`. Never retried; a redirect or an error status is a TAIGA_UNAVAILABLE, not a file.
 */
export async function download(http: TaigaHttp, url: string, sink: Writable, opts: DownloadOptions): Promise<{ contentType: string | undefined; bytes: number }> {
  const target = new URL(url);
  const sameOrigin = target.origin === new URL(http.baseUrl).origin;
  const deadline = startDeadline(opts.timeoutMs, opts.signal);
  // A file's URL holds its name and an access token: its span names no path.
  const endSpan = http.tracer?.taigaRequest('GET', '/{file}', target.origin, 1);
  let outcome: number | string = 'error';
  let bytes = 0;
  try {
    const response = await (await http.pool()).request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers: { 'user-agent': 'taiga-mcp', ...(sameOrigin && opts.authorization && { authorization: opts.authorization }) },
      signal: deadline.signal,
    });
    outcome = response.statusCode;
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new TaigaMcpError(response.statusCode === 404 ? 'NOT_FOUND' : 'TAIGA_UNAVAILABLE', { message: `Taiga did not serve the file (HTTP ${response.statusCode}).`, details: { status: response.statusCode } });
    }
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      // Throwing out of the loop destroys the body: nothing more is read.
      if (bytes > opts.maxBytes) throw new TaigaMcpError('INVALID_INPUT', { message: `The file is larger than the ${opts.maxBytes} bytes allowed.`, details: { limit_bytes: opts.maxBytes } });
      if (!sink.write(chunk)) await new Promise((resolve) => sink.once('drain', resolve));
    }
    const type = response.headers['content-type'];
    return { contentType: Array.isArray(type) ? type[0] : type, bytes };
  } catch (err) {
    const failure = asCodedError(err, opts, deadline.expired);
    // A status other than 200 is the span's outcome; a failure before an answer, or while reading it, is its code.
    if (outcome === 'error' || outcome === 200) outcome = failure.code;
    throw failure;
  } finally {
    endSpan?.(outcome);
    deadline.dispose();
  }
}

function asCodedError(err: unknown, opts: DownloadOptions, expired: boolean): TaigaMcpError {
  if (err instanceof TaigaMcpError) return err;
  if (opts.signal?.aborted) return cancelledError(opts.signal.reason);
  return expired ? timeoutError(opts.timeoutMs, err) : classifyTransportError(err, opts.timeoutMs).error;
}
