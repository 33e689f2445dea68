import * as v from 'valibot';
import { matching } from './matching.js';

const path = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));
const principal = v.pipe(v.string(), v.minLength(1), v.maxLength(200), matching(/^[\w.@:+-]+$/, 'letters, digits and . _ @ : + -'));
const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65_535));
const seconds = (max: number) => v.pipe(v.number(), v.minValue(0.1), v.maxValue(max));

/** A secret kept out of the config file: the name of an environment variable, or a file (read at start). */
const SecretRef = v.union([
  v.strictObject({ env: v.pipe(v.string(), matching(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')) }),
  v.strictObject({ file: path }),
]);

/** The Taiga account an API key's principal uses when it names no session. */
const PrincipalAccount = v.strictObject({
  username: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(255))),
  password: v.optional(SecretRef),
  applicationToken: v.optional(SecretRef),
  token: v.optional(SecretRef),
});

const toolsetId = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
/** Printable ASCII without space, quote or backslash: a refusal names it in the WWW-Authenticate header. */
const scopeToken = v.pipe(v.string(), v.minLength(1), v.maxLength(200), matching(/^[!#-[\]-~]+$/, 'a scope token (RFC 6749 §3.3)'));

const ApiKey = v.strictObject({
  sha256: v.pipe(v.string(), matching(/^[0-9a-f]{64}$/, 'the hex SHA-256 of the key (see `taiga-mcp keygen`)')),
  principal,
  taiga: v.optional(PrincipalAccount),
  /** This key may use only the read-only tools of those the server enables. */
  readOnly: v.optional(v.boolean()),
  /** This key may use only the tools of these toolsets (`default`: the default ones) of those the server enables. */
  toolsets: v.optional(v.pipe(v.array(toolsetId), v.minLength(1))),
});

/** Scopes a tool needs besides requiredScopes: a token without one does not see the tool, and a call of it gets 403 insufficient_scope. */
const ToolScopes = v.strictObject({
  /** Needed by every tool that is not read-only. */
  write: v.optional(scopeToken),
  /** Needed by every destructive tool (besides `write`). */
  destructive: v.optional(scopeToken),
  /** Needed by every tool of a toolset, by toolset id. */
  toolsets: v.optional(v.record(toolsetId, scopeToken), {}),
});

const OAuth = v.strictObject({
  issuer: v.pipe(v.string(), v.url(), v.maxLength(2048)),
  /** Default: the issuer's metadata (`/.well-known/oauth-authorization-server`, then `openid-configuration`). */
  jwksUrl: v.optional(v.pipe(v.string(), v.url(), v.maxLength(2048))),
  /** Default: this server's MCP URL (`http.publicUrl` + `/mcp`), as RFC 8707 resource indicators give it. */
  audience: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(2048))),
  /** Printable ASCII without space, quote or backslash: a refusal names it in the WWW-Authenticate header. */
  principalClaim: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100), matching(/^[!#-[\]-~]+$/, 'printable ASCII without spaces, quotes or backslashes')), 'sub'),
  requiredScopes: v.optional(v.array(scopeToken), []),
  toolScopes: v.optional(ToolScopes, { toolsets: {} }),
  /** Allowed clock difference for `exp`, `nbf` and `iat` (a token issued further in the future is refused). */
  clockToleranceSeconds: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(300)), 30),
  /** The JOSE `typ` header every token must carry, e.g. `at+jwt` (RFC 9068); compared as jose does (case-insensitive, `application/` optional). */
  requireTokenType: v.optional(v.pipe(v.string(), matching(/^(?:application\/)?[\w.+-]{1,100}$/, 'a media type such as at+jwt'))),
});

const Mtls = v.strictObject({
  /** Which part of a verified client certificate names the principal. */
  principalFrom: v.optional(v.picklist(['cn', 'san-dns', 'san-email', 'san-uri']), 'cn'),
});

const Tls = v.strictObject({
  cert: path,
  key: path,
  /** CA bundle that client certificates must chain to (mutual TLS). */
  clientCa: v.optional(path),
});

export const HttpConfig = v.strictObject({
  host: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(255)), '127.0.0.1'),
  port: v.optional(port, 8787),
  /** The URL clients use to reach this server (behind a proxy or load balancer); default `http(s)://host:port`. */
  publicUrl: v.optional(v.pipe(v.string(), v.url(), v.maxLength(2048))),
  /** Host header values accepted (DNS-rebinding protection). Default: the loopback names, the bind host and publicUrl's host. */
  allowedHosts: v.optional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(255))), []),
  /** Browser origins accepted (a request without Origin is not from a browser page and passes). Default: publicUrl's origin and loopback origins. */
  allowedOrigins: v.optional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(2048))), []),
  maxBodyBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(64 * 1024 * 1024)), 4 * 1024 * 1024),
  /** A whole MCP request, streaming included; past it the call is cancelled. */
  requestTimeoutSeconds: v.optional(seconds(3600), 120),
  /** On SIGTERM: how long in-flight calls may finish before connections are closed. */
  drainSeconds: v.optional(seconds(600), 10),
  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client: the right-most hop that is not one of them. */
  trustedProxies: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(64))), v.maxLength(100)), []),
  /** The same as trustedProxies ["127.0.0.0/8", "::1"] (a proxy on this machine). */
  trustProxy: v.optional(v.boolean(), false),
  /** Failed authentications per client address: past `max` in the window, its requests get 429 for `lockoutSeconds`. */
  authFailures: v.optional(
    v.strictObject({
      max: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)), 20),
      windowSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(86_400)), 60),
      lockoutSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(86_400)), 300),
    }),
    {},
  ),
  auth: v.optional(
    v.strictObject({
      apiKeys: v.optional(v.array(ApiKey), []),
      oauth: v.optional(OAuth),
      mtls: v.optional(Mtls),
    }),
    {},
  ),
  tls: v.optional(Tls),
  /** /healthz, /readyz and /metrics on a listener of their own (e.g. loopback only, for the scraper). */
  ops: v.optional(v.strictObject({ host: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(255)), '127.0.0.1'), port })),
});

export type HttpConfig = v.InferOutput<typeof HttpConfig>;
export type PrincipalAccountConfig = v.InferOutput<typeof PrincipalAccount>;
export type SecretRefConfig = v.InferOutput<typeof SecretRef>;
