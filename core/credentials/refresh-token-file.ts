import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

interface Entry { token: string; saved_at: string }
interface FileShape { version: 1; entries: Record<string, Entry> }

export function defaultRefreshTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
  return join(state, 'taiga-mcp', 'refresh-tokens.json');
}

/**
 * Taiga rotates the refresh token on every use and denylists the old one (taiga-api.md §2.4), so the
 * token a user configured works once. The newest one of its line is kept here (mode 0600), keyed by
 * a hash of the configured token: a new token in the config starts a new line.
 */
export class RefreshTokenFile {
  constructor(readonly path: string) {}

  newest(apiUrl: string, configured: string): string | undefined {
    return this.read().entries[keyOf(apiUrl, configured)]?.token;
  }

  save(apiUrl: string, configured: string, newest: string): void {
    const data = this.read();
    data.entries[keyOf(apiUrl, configured)] = { token: newest, saved_at: new Date().toISOString() };
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(data, null, 2), { mode: 0o600 });
    renameSync(temp, this.path);
  }

  private read(): FileShape {
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as FileShape;
      return data && data.version === 1 && typeof data.entries === 'object' ? data : { version: 1, entries: {} };
    } catch {
      return { version: 1, entries: {} };
    }
  }
}

const keyOf = (apiUrl: string, configured: string): string => createHash('sha256').update(`${apiUrl}\n${configured}`).digest('hex').slice(0, 32);
