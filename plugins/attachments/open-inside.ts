import { constants, existsSync, type BigIntStats } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { sep } from 'node:path';
import { refuse } from './refuse.js';

/** The file system calls openInside makes: a test swaps links between them, or takes /proc away. */
export interface FileCalls {
  realpath(path: string): Promise<string>;
  lstat(path: string): Promise<BigIntStats>;
  open(path: string, flags: number): Promise<FileHandle>;
  /** Where the OS shows an open descriptor's path (Linux: /proc/self/fd/N); undefined elsewhere (macOS, Windows). */
  fdPath(fd: number): string | undefined;
}

export const NODE_FILE_CALLS: FileCalls = {
  realpath: (path) => realpath(path),
  lstat: (path) => lstat(path, { bigint: true }),
  open: (path, flags) => open(path, flags),
  fdPath: (fd) => (existsSync(`/proc/self/fd/${fd}`) ? `/proc/self/fd/${fd}` : undefined),
};

/**
 * Never follow a last link, never wait: a FIFO or device swapped in after the check would
 * otherwise block the thread pool for good. (Windows has neither flag; the identity check holds there.)
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** One answer for a missing file and a file outside the roots: no caller learns what exists elsewhere. */
const NOT_IN_ROOTS = 'no such file in the upload folders';
const CHANGED = 'the file cannot be read, or it changed while it was being opened';

const sameFile = (a: BigIntStats, b: BigIntStats): boolean => a.dev === b.dev && a.ino === b.ino;

/**
 * Opens a regular file under one of `roots` (already resolved), the path resolved after following
 * every link; the file is not opened at all unless it was a regular file when checked. The
 * descriptor is then held to the path: its identity (device and inode) must be the one the path
 * names after the open, so a link or folder swapped in meanwhile cannot smuggle in a file from
 * outside. /proc, where there is one, is asked as well (it also sees through a resolution that
 * raced).
 */
export async function openInside(path: string, roots: ReadonlyArray<string | undefined>, fs: FileCalls = NODE_FILE_CALLS): Promise<{ handle: FileHandle; real: string; size: number }> {
  const inside = (p: string) => roots.some((root) => root !== undefined && p.startsWith(root.endsWith(sep) ? root : root + sep));
  const resolve = async (): Promise<{ real: string; stat: BigIntStats }> => {
    const real = await fs.realpath(path).catch(() => undefined);
    if (real === undefined || !inside(real)) throw refuse('path', NOT_IN_ROOTS);
    return { real, stat: await fs.lstat(real).catch(() => Promise.reject(refuse('path', CHANGED))) };
  };
  const checked = await resolve();
  if (!checked.stat.isFile()) throw refuse('path', 'not a regular file');
  const handle = await fs.open(checked.real, OPEN_FLAGS).catch(() => Promise.reject(refuse('path', CHANGED)));
  try {
    const held = await handle.stat({ bigint: true });
    // After the open, the path must still name the very file held: whatever was swapped in before
    // or during the open (a link, a folder) is caught, on every OS.
    if (!held.isFile() || !sameFile(held, (await resolve()).stat)) throw refuse('path', CHANGED);
    const viaFd = fs.fdPath(handle.fd);
    if (viaFd !== undefined && !inside(await fs.realpath(viaFd))) throw refuse('path', CHANGED);
    return { handle, real: checked.real, size: Number(held.size) };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
