import type { Readable } from 'node:stream';

/**
 * Reads a response body up to `limit` bytes. Past it, the rest is dropped and the stream destroyed,
 * so an answer that is too large (a misrouted download, a hostile server) never sits in memory.
 */
export async function readBounded(body: Readable & AsyncIterable<Buffer>, limit: number): Promise<{ tooLarge: false; text: string } | { tooLarge: true }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return { tooLarge: true };
    }
    chunks.push(chunk);
  }
  return { tooLarge: false, text: Buffer.concat(chunks).toString('utf8') };
}
