/**
 * `${user_config.<name>}` left as it is: an optional field of an MCP Bundle's form that the person
 * left blank reaches the server as this literal text (mcpb's resolver and Claude Desktop both pass
 * it on unresolved). It means "not set": taken as a value, a blank token field would be sent to
 * Taiga as the token `${user_config.application_token}` and every call would fail.
 */
const UNRESOLVED_PLACEHOLDER = /^\$\{user_config\.[^}]*\}$/;

/** An environment variable's value, or undefined when it is unset, empty, or an unresolved placeholder. */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '' || UNRESOLVED_PLACEHOLDER.test(value)) return undefined;
  return value;
}

/** true / false for the usual spellings (`true`, `1`, `yes`, any case), undefined for anything else. */
export function parseBoolean(value: string): boolean | undefined {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  return undefined;
}
