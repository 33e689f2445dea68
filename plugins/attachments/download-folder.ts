import { createWriteStream, type WriteStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { TaigaMcpError } from '../../core/errors.js';
import { savedName } from './saved-name.js';

/** A file of that name in the folder that does not exist yet: `a.pdf`, `a (1).pdf`, … (never an overwrite). */
export async function freshFile(dir: string, name: string): Promise<{ path: string; stream: WriteStream }> {
  const safe = savedName(name);
  const ext = extname(safe);
  for (let n = 0; n < 1000; n++) {
    const path = join(dir, n === 0 ? safe : `${safe.slice(0, safe.length - ext.length)} (${n})${ext}`);
    const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    const opened = await new Promise<boolean>((resolve, reject) => {
      stream.once('open', () => resolve(true));
      stream.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? resolve(false) : reject(err)));
    });
    if (opened) return { path, stream };
  }
  throw new TaigaMcpError('INTERNAL', { message: 'No free file name in the download folder.' });
}

/** Bytes being saved into each folder by this process: counted before they are on disk. */
const reserved = new Map<string, number>();

async function bytesIn(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // Stryker disable next-line ArrowFunction: only a file removed between readdir and lstat reaches it; no test can time that, and as root none is unreadable.
    if (entry.isFile()) total += await lstat(join(dir, entry.name)).then((s) => s.size, () => 0);
  }
  return total;
}

/** The last check of each folder: checks of one folder run one after the other, each seeing what the earlier ones reserved. */
const turns = new Map<string, Promise<unknown>>();

/**
 * Holds `size` bytes of the folder's cap for one save, or refuses when the files already there and
 * the saves under way would pass it; the returned function gives the bytes back.
 */
export function reserveRoom(dir: string, size: number, cap: number): Promise<() => void> {
  const turn = (turns.get(dir) ?? Promise.resolve()).then(async () => {
    const used = (await bytesIn(dir)) + (reserved.get(dir) ?? 0);
    if (used + size > cap) {
      throw new TaigaMcpError('INVALID_INPUT', {
        message: `Saving this file (${size} bytes) would pass the download folder's cap of ${cap} bytes.`,
        details: { limit_bytes: cap, size },
        hint: 'Ask the user to clear the download folder, or an operator to raise plugins.options.attachments.downloadDirMaxBytes.',
      });
    }
    reserved.set(dir, (reserved.get(dir) ?? 0) + size);
    return () => void reserved.set(dir, reserved.get(dir)! - size);
  });
  turns.set(dir, turn.catch(() => undefined));
  return turn;
}
