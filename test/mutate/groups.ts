/**
 * What `npm run mutate` mutates: the one place to edit when the layout changes.
 *
 * `mutate` takes Stryker globs of TypeScript sources (`!` excludes) or `{ file, functions, methods }`,
 * which mutates only the named top-level functions and class methods of a file (found by name, so
 * that edits elsewhere in the file do not shift a line range).
 *
 * `tests` are the compiled test files that should kill the group's mutants, fastest and most
 * direct first: a mutant runs the files that reach it in this order and stops at the first
 * failure. Every other test file (but EXCLUDED_TESTS) is appended after them, so a test not
 * listed still counts; coverage decides which files a mutant runs at all.
 */
export type Target = string | { file: string; functions?: string[]; methods?: string[] };

export interface Group {
  description: string;
  mutate: Target[];
  tests: string[];
}

export const groups: Record<string, Group> = {
  sessions: {
    description: 'session stores (memory and Redis), manager, login limiter, default credentials, token renewal, token sealing, the Taiga calls of a session and the client of each allowed Taiga',
    mutate: ['core/sessions/*.ts', '!core/sessions/types.ts', { file: 'core/taiga-hosts.ts', methods: ['client'] }],
    tests: [
      'dist/test/core/taiga-session.test.js',
      'dist/test/core/refresh.test.js',
      'dist/test/core/taiga-hosts.test.js',
      'dist/test/core/sessions.test.js',
      'dist/test/core/memory-store-clock.test.js',
      'dist/test/core/stores-memory.test.js',
      'dist/test/core/stores-redis.test.js',
      'dist/test/core/redis-store.test.js',
      'dist/test/core/redis-connection.test.js',
      'dist/test/core/pipeline.test.js',
      'dist/test/core/credentials.test.js',
      // The cipher's own cases (token-cipher.ts is in both groups).
      'dist/test/core/token-seal.test.js',
      // Slow (a cluster, a Sentinel) but the only ones that select them through the config.
      'dist/test/core/stores-redis-sentinel.test.js',
      'dist/test/core/stores-redis-cluster.test.js',
      'dist/test/core/redis-cluster-failover.test.js',
      'dist/test/e2e/sessions.test.js',
      'dist/test/e2e/http-redis.test.js',
      // rediss:// for one server, a cluster and Sentinels (the TLS switch of each).
      'dist/test/e2e/http-redis-tls.test.js',
    ],
  },
  http: {
    description: 'the Taiga HTTP client: retry policy, backoff, throttling, deadlines, the size limit, token check',
    mutate: ['core/taiga/http.ts', 'core/taiga/exchange.ts'],
    tests: [
      'dist/test/core/taiga/exchange.test.js',
      'dist/test/core/taiga/http-edges.test.js',
      'dist/test/core/taiga/retry-timeout.test.js',
      'dist/test/core/taiga/http.test.js',
      'dist/test/core/taiga/deadline.test.js',
      'dist/test/core/taiga/error-mapping.test.js',
      'dist/test/core/taiga/auth.test.js',
      'dist/test/core/taiga/pagination.test.js',
      'dist/test/core/client-emulator.test.js',
    ],
  },
  untrusted: {
    description: 'the untrusted-text boundary around user-written text',
    mutate: ['core/render/untrusted.ts'],
    tests: ['dist/test/core/untrusted.test.js', 'dist/test/e2e/user-stories.test.js', 'dist/test/e2e/work-items.test.js'],
  },
  occ: {
    description: 'optimistic concurrency on work-item writes: the version check, board moves, the wrong-project guard',
    mutate: [
      { file: 'core/work-items/access.ts', functions: ['loadItem', 'wrongProject', 'checkVersion', 'writeItem', 'deleteItem'] },
      'core/work-items/shown-versions.ts',
    ],
    tests: [
      'dist/test/e2e/occ-rules.test.js', 'dist/test/e2e/user-stories.test.js', 'dist/test/e2e/work-items.test.js', 'dist/test/e2e/confirmations.test.js',
      'dist/test/e2e/collaboration.test.js', 'dist/test/e2e/bad-input.test.js', 'dist/test/proof/concurrent-edits.test.js',
    ],
  },
  sealing: {
    description: 'the Redis session seal: the cipher, what a record seals and binds, the store paths that seal and open it, the Taiga host check at each use',
    mutate: [
      'core/sessions/token-cipher.ts',
      'core/sessions/redis-record.ts',
      { file: 'core/sessions/redis-store.ts', methods: ['createSession', 'updateTokens', 'deleteSession', 'lookup', 'open'] },
      { file: 'core/taiga-hosts.ts', methods: ['requireAllowed'] },
    ],
    tests: [
      'dist/test/core/token-seal.test.js',
      'dist/test/core/taiga-hosts.test.js',
      'dist/test/core/redis-store.test.js',
      'dist/test/core/stores-redis.test.js',
      'dist/test/e2e/http-redis-sealing.test.js',
      'dist/test/core/sessions.test.js',
      'dist/test/e2e/http-redis.test.js',
    ],
  },
  http_auth: {
    description: 'who is calling over HTTP and what each may use: API keys (with their readOnly and toolsets), OAuth bearer tokens and their scopes, client certificates, Host, Origin and request checks',
    mutate: ['core/http/auth/*.ts', 'core/http/allow-lists.ts', 'core/http/request-guards.ts', 'core/http/client-address.ts', 'core/access/*.ts'],
    tests: [
      'dist/test/core/http-allow-lists.test.js',
      'dist/test/core/client-address.test.js',
      'dist/test/e2e/http-access.test.js',
      'dist/test/e2e/http-auth-failures.test.js',
      'dist/test/e2e/http-auth.test.js',
      'dist/test/e2e/http-oauth.test.js',
      'dist/test/e2e/http-transport.test.js',
      'dist/test/e2e/http-tls.test.js',
      'dist/test/e2e/http-lifecycle.test.js',
    ],
  },
  tracing: {
    description: 'traces: OTLP settings from the config and OTEL_* variables, spans of calls, Taiga requests and store operations, route templates',
    mutate: ['core/tracing/*.ts', 'core/pipeline/trace.ts', 'core/config/telemetry-schema.ts'],
    // config.test.js holds the generated config JSON schema, where the v.description texts go.
    tests: ['dist/test/core/telemetry-config.test.js', 'dist/test/core/tracing.test.js', 'dist/test/core/config.test.js', 'dist/test/e2e/tracing.test.js'],
  },
  attachments: {
    description: 'attachment guards: upload roots and the open that holds to them, HTTP path uploads, size, type and MIME checks, multipart headers, saved names, the download folder cap, download origins, virus scanning by clamd',
    mutate: [
      'plugins/attachments/*.ts',
      '!plugins/attachments/index.ts',
      'plugins/attachments/tools/download.ts',
      { file: 'plugins/attachments/tools/attachments.ts', functions: ['overStdio', 'sourceOf'] },
      'core/taiga/download.ts',
    ],
    tests: [
      'dist/test/plugins/attachments.test.js', 'dist/test/plugins/attachments-scan.test.js', 'dist/test/core/taiga/download.test.js',
      'dist/test/e2e/attachments.test.js', 'dist/test/e2e/attachments-scan.test.js', 'dist/test/e2e/bad-input.test.js',
    ],
  },
  custom_fields: {
    description: 'custom attributes in the list tools: columns by name, the custom filter after fetching, the bounded scan and its next_page, values read a few at a time',
    mutate: ['core/work-items/custom-columns.ts', 'core/work-items/custom-scan.ts'],
    tests: ['dist/test/e2e/custom-fields.test.js', 'dist/test/e2e/bad-input.test.js', 'dist/test/conformance/tools.test.js'],
  },
  confirm: {
    description: 'a person confirms destructive writes: when to ask, the sealed state and its binding, expiry, single use, decline means no write, the modes',
    mutate: ['core/confirm/*.ts', 'core/pipeline/confirm.ts', { file: 'core/pipeline/translate-error.ts', functions: ['translateError'] }],
    tests: [
      'dist/test/core/confirmations.test.js',
      'dist/test/core/confirm-plugins.test.js',
      'dist/test/e2e/confirmations-http.test.js',
      'dist/test/e2e/confirmations.test.js',
    ],
  },
};

/**
 * Never run for mutants: the leak test runs the end-to-end suites a second time to search their output
 * for secrets; the conformance suite and the nginx deployment take tens of seconds each; the MCP Bundle
 * test packs the build and checks its file list, which the sandbox's instrumented build does not match.
 */
export const EXCLUDED_TESTS = ['dist/test/e2e/leak.test.js', 'dist/test/conformance/mcp-suite.test.js', 'dist/test/e2e/http-nginx.test.js', 'dist/test/e2e/mcpb.test.js'];
