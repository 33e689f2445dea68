import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaigaMcpError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { quote } from '../../core/render/untrusted.js';
import { clamdAddress, instream, NoVerdict, type NoVerdictReason } from './clamd.js';
import type { ScanOptions } from './options.js';
import { refuse } from './refuse.js';
import type { UploadSource } from './upload-source.js';

const WHY: Record<NoVerdictReason, string> = {
  unreachable: 'is not reachable',
  timeout: 'did not answer in time',
  too_large: 'does not accept a file this large',
  error: 'failed',
};

/**
 * What `failOpen` lets through: a scanner that is down or too slow. A file the scanner refuses
 * (too large, an error, a connection cut mid-stream) is never let through: a file could be made
 * to cause that.
 */
const UNAVAILABLE: ReadonlySet<NoVerdictReason> = new Set(['unreachable', 'timeout']);

/**
 * The upload as clamd judged it, or a refusal: UPLOAD_INFECTED for a finding, SCAN_UNAVAILABLE when
 * there is no verdict (unless `failOpen` lets an unavailable scanner through). A file on disk is
 * copied to a private temporary file as it is scanned, and that copy is what Taiga is sent: the
 * bytes sent are the bytes scanned, even if the file changes meanwhile.
 */
export async function scanned(source: UploadSource, scan: ScanOptions, ctx: { log: Logger; signal: AbortSignal }): Promise<UploadSource> {
  if (source.size > scan.maxBytes) throw noVerdict(ctx.log, new NoVerdict('too_large', `${source.size} bytes, over scan.maxBytes (${scan.maxBytes})`));
  const copy = source.fixed ? undefined : await PrivateCopy.make();
  try {
    const data = copy ? copy.tee(source) : source.open();
    const verdict = await instream(clamdAddress(scan.clamd)!, data, scan.timeoutSeconds * 1000, ctx.signal);
    if (!verdict.clean) {
      ctx.log.warn({ signature: verdict.signature.slice(0, 200), size: source.size }, 'upload refused: the virus scanner found something');
      throw new TaigaMcpError('UPLOAD_INFECTED', { message: `The virus scanner found ${quote(verdict.signature)} in the file; nothing was sent to Taiga.`, details: { signature: verdict.signature } });
    }
    if (!copy) return source;
    const path = copy.path;
    return { ...source, open: () => createReadStream(path), close: async () => (await source.close(), await copy.remove()) };
  } catch (err) {
    await copy?.remove();
    if (!(err instanceof NoVerdict)) throw err;
    if (scan.failOpen && UNAVAILABLE.has(err.reason)) {
      ctx.log.warn({ reason: err.reason, err: err.message }, 'upload sent UNSCANNED: the virus scanner gave no verdict and attachments.scan.failOpen is set');
      return source;
    }
    throw noVerdict(ctx.log, err);
  }
}

function noVerdict(log: Logger, err: NoVerdict): TaigaMcpError {
  log.warn({ reason: err.reason, err: err.message }, 'upload refused: the virus scanner gave no verdict');
  return new TaigaMcpError('SCAN_UNAVAILABLE', {
    message: `The virus scanner ${WHY[err.reason]}, so the file was not uploaded.`,
    details: { reason: err.reason },
    ...(err.reason === 'too_large' && { hint: 'Send a smaller file, or ask the operator to raise clamd\'s StreamMaxLength and plugins.options.attachments.scan.maxBytes together.' }),
  });
}

/** A file only this process can read, in a folder of its own under the system's temporary folder. */
class PrivateCopy {
  private handle: FileHandle | undefined;
  private constructor(private readonly dir: string) {}

  static async make(): Promise<PrivateCopy> {
    return new PrivateCopy(await mkdtemp(join(tmpdir(), 'taiga-mcp-scan-')));
  }

  get path(): string {
    return join(this.dir, 'upload');
  }

  /** The source's bytes, written to the copy as they pass; exactly the size checked, or the file changed. */
  async *tee(source: UploadSource): AsyncGenerator<Buffer> {
    this.handle = await open(this.path, 'wx', 0o600);
    let bytes = 0;
    for await (const chunk of source.open() as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > source.size) break;
      await this.handle.write(chunk);
      yield chunk;
    }
    await this.handle.close();
    this.handle = undefined;
    if (bytes !== source.size) throw refuse('path', 'the file changed while it was being read');
  }

  async remove(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
