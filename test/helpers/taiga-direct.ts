import type { Emulator } from '../emulator/index.js';

/** A teammate working in Taiga directly (not through the MCP server): plain HTTP to the emulator. */
export async function asTeammate(emulator: Emulator, method: string, path: string, body?: unknown, username = 'admin'): Promise<{ status: number; body: unknown }> {
  const login = await fetch(`${emulator.apiUrl}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'normal', username, password: username === 'admin' ? 'taigaadmin' : '123123' }),
  });
  const { auth_token } = (await login.json()) as { auth_token: string };
  const res = await fetch(`${emulator.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth_token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}
