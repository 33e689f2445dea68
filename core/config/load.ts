import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import { jsonErrorPlace } from './json-syntax.js';
import { ConfigSchema, ENV_KEYS, FOUND_FILE_KEYS, type Config, type ToolsChoice } from './schema.js';
import { envValue, parseBoolean } from './env-value.js';
import { otlpFromEnv } from './telemetry-schema.js';

export const DEFAULT_CONFIG_FILE = 'taiga-mcp.config.json';

export interface LoadOptions {
  /** Path given with --config; when absent, DEFAULT_CONFIG_FILE in cwd is used if present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Extra values applied last (tests, CLI flags). */
  overrides?: Record<string, unknown>;
  /** How the server will run: REDIS_URL selects the Redis store only for `http` (default: `http`). */
  transport?: 'stdio' | 'http';
}

export interface LoadedConfig {
  config: Config;
  file: string | undefined;
  /** How the file was chosen: named (`--config`, TAIGA_MCP_CONFIG), found in the working directory, or none. */
  source: 'named' | 'found' | 'none';
  /** Top-level keys of a found file that were not applied (see FOUND_FILE_KEYS). */
  ignored: string[];
  /** Environment variables that were set but do not apply to this transport (REDIS_URL on stdio). */
  ignoredEnv: string[];
}

/** Reads the file, applies environment variables over it, validates, and fails naming the key. */
export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const candidate = opts.file ?? envValue(env, 'TAIGA_MCP_CONFIG');
  let file: string | undefined;
  let raw: Record<string, unknown> = {};
  let source: LoadedConfig['source'] = 'none';
  let foundTools: unknown;
  const ignored: string[] = [];
  if (candidate !== undefined) {
    file = resolve(cwd, candidate);
    if (!existsSync(file)) throw configError(`config file ${file} does not exist`);
    raw = readJson(file);
    source = 'named';
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    file = resolve(cwd, DEFAULT_CONFIG_FILE);
    source = 'found';
    const found = readJson(file);
    for (const key of Object.keys(found)) {
      if (key === 'tools') foundTools = found[key];
      else if ((FOUND_FILE_KEYS as readonly string[]).includes(key)) raw[key] = found[key];
      else ignored.push(key);
    }
  }
  const origin = new Map<string, string>();
  for (const [envName, key] of Object.entries(ENV_KEYS)) {
    const value = envValue(env, envName);
    if (value === undefined || key.startsWith('store.')) continue;
    setPath(raw, key, fromEnv(key, value));
    origin.set(key, envName);
  }
  const ignoredEnv = storeFromEnv(raw, env, origin, opts.transport ?? 'http');
  otlpFromEnv(raw, env, origin);
  for (const [key, value] of Object.entries(opts.overrides ?? {})) setPath(raw, key, value);
  const config = validateConfig(raw, origin);
  if (foundTools !== undefined) config.tools = narrowTools(config.tools, foundTools, ignored);
  return { config, file, source, ignored, ignoredEnv };
}

/**
 * A found file's `tools` may only take away from what the environment, a named file or the
 * defaults enable: its exclusions add up, its read-only mode wins, its toolsets bound the
 * selection (`within`), and its `include` is ignored.
 */
function narrowTools(configured: ToolsChoice, found: unknown, ignored: string[]): ToolsChoice {
  const own = validateConfig({ tools: found }).tools;
  const given = found as Record<string, unknown>;
  if (own.include.length > 0) ignored.push('tools.include');
  return {
    ...configured,
    exclude: [...configured.exclude, ...own.exclude],
    readOnly: configured.readOnly || own.readOnly,
    ...(given['toolsets'] !== undefined && { within: own.toolsets }),
  };
}

export function validateConfig(raw: unknown, origin: Map<string, string> = new Map()): Config {
  const parsed = v.safeParse(ConfigSchema, raw);
  if (parsed.success) return parsed.output as Config;
  const lines = parsed.issues.map((issue) => {
    const key = (issue.path ?? []).map((p) => String(p.key)).join('.') || '(root)';
    const env = originOf(key, origin);
    const where = env ? `${env} (${key})` : key;
    const got = issue.input === undefined ? 'nothing' : JSON.stringify(issue.input)?.slice(0, 60);
    return `${where}: expected ${issue.expected ?? 'a valid value'}, got ${SECRET_KEY.test(key) ? '[REDACTED]' : got}`;
  });
  throw configError(`invalid configuration: ${lines.join('; ')}`);
}

/** The variable that set `key` or the object holding it (a header of OTEL_EXPORTER_OTLP_HEADERS). */
function originOf(key: string, origin: Map<string, string>): string | undefined {
  for (let at = key; at !== ''; at = at.slice(0, Math.max(0, at.lastIndexOf('.')))) {
    const env = origin.get(at);
    if (env) return env;
  }
  return undefined;
}

/**
 * A config file as an object. A syntax error is told by line and column only: JSON.parse's message
 * quotes the text around it, which may be part of a password.
 */
function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw configError(`config file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const { line, column } = jsonErrorPlace(text);
    throw configError(`config file ${file} is not valid JSON: syntax error at line ${line}, column ${column}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw configError(`config file ${file}: the top level must be an object`);
  return data as Record<string, unknown>;
}

/** Values never echoed in an error (a Redis URL may hold a password, an OTLP header an API key). */
const SECRET_KEY = /password|token|encryptionKey|^store\.(url|cluster|sentinel)\b|^telemetry\.otlp\.(headers|endpoint)\b/i;

/**
 * REDIS_URL alone selects the Redis store for an HTTP server. A stdio server is one process for one
 * user, with nothing to share: a REDIS_URL in the shell of a desktop user (set for something else)
 * is ignored there, and said so; a config file's `store` still applies. The store key applies only
 * to a Redis store, so that it may stay in an environment shared with stdio servers.
 */
function storeFromEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, origin: Map<string, string>, transport: 'stdio' | 'http'): string[] {
  const ignored: string[] = [];
  const redisUrl = envValue(env, 'REDIS_URL');
  const storeKey = envValue(env, 'TAIGA_MCP_STORE_KEY');
  if (redisUrl && transport === 'stdio') ignored.push('REDIS_URL');
  else if (redisUrl) {
    setPath(raw, 'store.kind', 'redis');
    setPath(raw, 'store.url', redisUrl);
    origin.set('store.url', 'REDIS_URL');
  }
  const store = raw['store'] as Record<string, unknown> | undefined;
  if (storeKey && store?.['kind'] === 'redis') {
    setPath(raw, 'store.encryptionKey', storeKey);
    origin.set('store.encryptionKey', 'TAIGA_MCP_STORE_KEY');
  }
  return ignored;
}

/** Credentials and URLs stay strings whatever they look like (a password may be "007" or "true"). */
const STRING_KEYS = new Set(['taiga.url', 'taiga.username', 'taiga.password', 'taiga.token', 'taiga.refreshToken', 'taiga.applicationToken', 'taiga.refreshTokenFile', 'taiga.caFile']);
const BOOLEAN_KEYS = new Set(['taiga.allowHttp', 'tools.readOnly']);

function fromEnv(key: string, value: string): unknown {
  if (STRING_KEYS.has(key)) return value;
  if (key === 'tools.toolsets') return value === 'all' || value === 'default' ? value : value.split(',').map((s) => s.trim()).filter(Boolean);
  if (key === 'logLevel' || key === 'confirmations.mode') return value.toLowerCase();
  if (BOOLEAN_KEYS.has(key)) return parseBoolean(value) ?? value;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const child = node[part];
    if (!child || typeof child !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

const configError = (message: string) => new TaigaMcpError('CONFIG_INVALID', { message });
