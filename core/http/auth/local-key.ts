import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The key made at start for a loopback server with no auth configured acts as the same user as stdio. */
export { LOCAL_PRINCIPAL } from '../../principal.js';

/**
 * Writes the key made at start (loopback, no auth configured; as Jupyter does with its token) to
 * a file only this user can read, and returns its path: the path goes to the log, never the key.
 */
export function writeLocalKey(port: number, key: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'taiga-mcp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `http-${port}.key`);
  // Made anew, never written through: an existing file would keep its old mode, and a link there would be followed.
  rmSync(file, { force: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}
