import { readFileSync } from 'node:fs';
import { TaigaMcpError } from '../errors.js';
import type { HttpConfig, PrincipalAccountConfig, SecretRefConfig } from '../config/http-schema.js';
import type { TaigaHosts } from '../taiga-hosts.js';
import { DefaultCredentials } from '../sessions/default-credentials.js';

type Creds = ConstructorParameters<typeof DefaultCredentials>[1];

/** A secret named by the config (an environment variable or a file), read once at start. */
function readSecret(ref: SecretRefConfig, where: string, env: NodeJS.ProcessEnv): string {
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new TaigaMcpError('CONFIG_INVALID', { message: `${where}: the environment variable ${ref.env} is not set` });
    return value;
  }
  try {
    const value = readFileSync(ref.file, 'utf8').trim();
    if (value) return value;
  } catch (err) {
    throw new TaigaMcpError('CONFIG_INVALID', { message: `${where}: cannot read ${ref.file} (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
  }
  throw new TaigaMcpError('CONFIG_INVALID', { message: `${where}: ${ref.file} is empty` });
}

function credsOf(account: PrincipalAccountConfig, where: string, env: NodeJS.ProcessEnv): Creds {
  const creds: Creds = {
    ...(account.username && { username: account.username }),
    ...(account.password && { password: readSecret(account.password, `${where}.password`, env) }),
    ...(account.applicationToken && { applicationToken: readSecret(account.applicationToken, `${where}.applicationToken`, env) }),
    ...(account.token && { token: readSecret(account.token, `${where}.token`, env) }),
  };
  if (!DefaultCredentials.configured(creds)) throw new TaigaMcpError('CONFIG_INVALID', { message: `${where}: give applicationToken, token, or username with password` });
  return creds;
}

/**
 * The Taiga account each API-key principal uses when it names no session: its own when the config
 * gives one, else `fallback` (the account in taiga.*, if any, which then serves every principal
 * without one of its own). Secrets are read at start, so a missing one stops the server there.
 */
export function principalAccounts(
  apiKeys: HttpConfig['auth']['apiKeys'],
  hosts: TaigaHosts,
  fallback: (principal: string) => DefaultCredentials | undefined,
  env: NodeJS.ProcessEnv = process.env,
): (principal: string) => DefaultCredentials | undefined {
  const accounts = new Map<string, DefaultCredentials>();
  apiKeys.forEach((key, i) => {
    if (key.taiga) accounts.set(key.principal, new DefaultCredentials(hosts.client(), credsOf(key.taiga, `http.auth.apiKeys[${i}].taiga`, env)));
  });
  return (principal) => accounts.get(principal) ?? fallback(principal);
}
