import * as v from 'valibot';
import { matching } from './matching.js';
import { HttpConfig } from './http-schema.js';
import { TelemetryConfig } from './telemetry-schema.js';

const positiveInt = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

const TaigaConfig = v.strictObject({
  url: v.optional(v.pipe(v.string(), v.maxLength(2048), v.description('Taiga URL, with or without /api/v1. Unset: the built-in demo emulator.'))),
  allowHttp: v.optional(v.boolean(), false),
  frontUrl: v.optional(v.pipe(v.string(), v.maxLength(2048), v.description('The Taiga web front-end the links in results point at (self-hosted fronts). Default: the API URL without /api/v1 (api.taiga.io: tree.taiga.io).'))),
  username: v.optional(name),
  password: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(1024))),
  token: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description('A Taiga access token: lasts 24 h and cannot be renewed; prefer applicationToken, a refresh token or a password.'))),
  refreshToken: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description('A Taiga refresh token: rotated on every use (the newest is kept in refreshTokenFile); lasts while used at least once every 8 days.'))),
  applicationToken: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description('A Taiga application token (Authorization: Application …): lasts until revoked in Taiga.'))),
  refreshTokenFile: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description('Where the newest rotated refresh token is kept (mode 0600). Default: $XDG_STATE_HOME/taiga-mcp/refresh-tokens.json.'))),
  allowedHosts: v.optional(v.array(v.pipe(v.string(), v.maxLength(2048))), []),
  requestTimeoutSeconds: v.optional(positiveInt(600), 30),
  retries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)), 3),
  maxListItems: v.optional(positiveInt(10_000), 1000),
  maxResponseBytes: v.optional(positiveInt(1024 ** 3), 32 * 1024 * 1024),
  caFile: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description('PEM bundle of the CA(s) that signed a self-hosted Taiga\'s certificate, trusted beside the system ones.'))),
});

const SessionsConfig = v.strictObject({
  expirySeconds: v.optional(positiveInt(30 * 86_400), 28_800),
  maxPerUser: v.optional(positiveInt(1000), 5),
  cleanupIntervalSeconds: v.optional(positiveInt(86_400), 3600),
  loginEnabled: v.optional(v.boolean(), true),
  maxSessions: v.optional(positiveInt(10_000_000), 10_000),
});

const RateLimitsConfig = v.strictObject({
  loginPerMinute: v.optional(positiveInt(10_000), 5),
  loginLockoutMinutes: v.optional(positiveInt(24 * 60), 15),
  toolCallBurst: v.optional(positiveInt(100_000), 60),
  toolCallsPerSecond: v.optional(v.pipe(v.number(), v.minValue(0.01), v.maxValue(100_000)), 10),
});

const redisUrl = v.pipe(v.string(), v.maxLength(2048), matching(/^rediss?:\/\/./, 'a redis:// or rediss:// URL'));

/** What every Redis store has, whichever Redis it is: one server, a Cluster, or a master watched by Sentinel. */
const redisStore = {
  kind: v.literal('redis'),
  keyPrefix: v.optional(v.pipe(v.string(), v.maxLength(100), matching(/^[^{}]*$/, 'no { or }: they would move keys out of their hash slots'), v.description('Put before every key, so that several deployments can share one Redis.')), 'taiga-mcp:'),
  encryptionKey: v.optional(v.pipe(v.string(), matching(/^[A-Za-z0-9+/]{43}=$/, '32 bytes in base64'), v.description('AES-256-GCM key of the Taiga tokens kept in Redis: 32 bytes in base64 (openssl rand -base64 32). Or TAIGA_MCP_STORE_KEY.'))),
  commandTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(60_000), v.description('A store operation that takes longer answers STORE_UNAVAILABLE, and a connection silent this long is dropped and made again (so a frozen Redis or a failed-over Cluster master is left behind).')), 5000),
};

// Three shapes with the same kind (exactly one of url, cluster, sentinel): the first is the one whose errors are told.
const StoreConfig = v.variant('kind', [
  v.strictObject({ kind: v.literal('memory') }),
  v.strictObject({
    ...redisStore,
    url: v.pipe(redisUrl, v.description('redis://[user:password@]host:port[/db], rediss:// for TLS. Or REDIS_URL.')),
  }),
  v.strictObject({
    ...redisStore,
    cluster: v.pipe(v.array(redisUrl), v.minLength(1), v.maxLength(100), v.description('Redis Cluster: URLs of some of its nodes (the rest are discovered); their user, password and TLS apply to every node.')),
  }),
  v.strictObject({
    ...redisStore,
    sentinel: v.strictObject({
      name: v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.description('The master\'s name in the Sentinel configuration (sentinel monitor <name> ...).')),
      nodes: v.pipe(v.array(redisUrl), v.minLength(1), v.maxLength(100), v.description('URLs of the Sentinels; their user, password and TLS apply to the Sentinels and to the master.')),
    }),
  }),
]);

const ToolsConfig = v.strictObject({
  toolsets: v.optional(v.union([v.literal('all'), v.literal('default'), v.array(name)]), 'default'),
  include: v.optional(v.array(name), []),
  exclude: v.optional(v.array(name), []),
  readOnly: v.optional(v.boolean(), false),
});

/** When a person confirms a write through the client (core/confirm). */
const ConfirmationsConfig = v.strictObject({
  mode: v.optional(
    v.pipe(
      v.picklist(['ask', 'require', 'off']),
      v.description('ask: destructive and large bulk writes ask the person when the client can ask (elicitation), else go on; require: a client that cannot ask is refused unless the call says confirm: true; off: never ask.'),
    ),
    'ask',
  ),
  bulkThreshold: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000), v.description('A bulk write of more items than this asks first.')), 10),
});

const PluginsConfig = v.strictObject({
  external: v.optional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(1024))), []),
  disabled: v.optional(v.array(name), []),
  options: v.optional(v.record(name, v.record(v.string(), v.unknown())), {}),
});

export const ConfigSchema = v.strictObject({
  $schema: v.optional(v.string()),
  taiga: v.optional(TaigaConfig, {}),
  sessions: v.optional(SessionsConfig, {}),
  rateLimits: v.optional(RateLimitsConfig, {}),
  tools: v.optional(ToolsConfig, {}),
  confirmations: v.optional(ConfirmationsConfig, {}),
  plugins: v.optional(PluginsConfig, {}),
  store: v.optional(StoreConfig, { kind: 'memory' }),
  cache: v.optional(v.strictObject({ metadataTtlSeconds: v.optional(positiveInt(86_400), 60) }), {}),
  http: v.optional(HttpConfig, {}),
  telemetry: v.optional(TelemetryConfig, {}),
  logLevel: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
});

type ToolsetsChoice = v.InferOutput<typeof ToolsConfig>['toolsets'];
/**
 * What `tools` holds after loading. `within` is set only from a config file found in the working
 * directory (never from a file or the environment): the toolsets it names, which the selection
 * may not go beyond (load.ts).
 */
export type ToolsChoice = v.InferOutput<typeof ToolsConfig> & { readonly within?: ToolsetsChoice };
export type Config = Omit<v.InferOutput<typeof ConfigSchema>, 'tools'> & { tools: ToolsChoice };
export type ConfigInput = v.InferInput<typeof ConfigSchema>;

/**
 * What a config file may set when the server found it by itself (in the working directory, which a
 * desktop agent may set to any repository): choices of tools and logs, never code to load, where to
 * connect, as whom, or which local files to touch.
 */
export const FOUND_FILE_KEYS = ['$schema', 'tools', 'logLevel', 'cache'] as const;

/** Environment variables and the config key each overrides (names kept from the Python bridge). */
export const ENV_KEYS = {
  TAIGA_API_URL: 'taiga.url',
  ALLOW_HTTP_TAIGA: 'taiga.allowHttp',
  TAIGA_FRONT_URL: 'taiga.frontUrl',
  TAIGA_USERNAME: 'taiga.username',
  TAIGA_PASSWORD: 'taiga.password',
  TAIGA_TOKEN: 'taiga.token',
  TAIGA_REFRESH_TOKEN: 'taiga.refreshToken',
  TAIGA_APPLICATION_TOKEN: 'taiga.applicationToken',
  TAIGA_REFRESH_TOKEN_FILE: 'taiga.refreshTokenFile',
  TAIGA_CA_FILE: 'taiga.caFile',
  REQUEST_TIMEOUT: 'taiga.requestTimeoutSeconds',
  SESSION_EXPIRY: 'sessions.expirySeconds',
  MAX_SESSIONS_PER_USER: 'sessions.maxPerUser',
  SESSION_CLEANUP_INTERVAL: 'sessions.cleanupIntervalSeconds',
  LOGIN_RATE_LIMIT: 'rateLimits.loginPerMinute',
  LOGIN_LOCKOUT_MINUTES: 'rateLimits.loginLockoutMinutes',
  TOOL_CALL_BURST: 'rateLimits.toolCallBurst',
  TOOL_CALLS_PER_SECOND: 'rateLimits.toolCallsPerSecond',
  LOG_LEVEL: 'logLevel',
  TAIGA_READ_ONLY: 'tools.readOnly',
  TAIGA_TOOLSETS: 'tools.toolsets',
  TAIGA_CONFIRMATIONS: 'confirmations.mode',
  TAIGA_CONFIRM_BULK_THRESHOLD: 'confirmations.bulkThreshold',
  REDIS_URL: 'store.url',
  TAIGA_MCP_STORE_KEY: 'store.encryptionKey',
} as const;

/** Variables read outside the config (so not "unknown" when set). */
export const OTHER_ENV = ['TAIGA_MCP_CONFIG', 'TAIGA_MCP_DEMO'] as const;
