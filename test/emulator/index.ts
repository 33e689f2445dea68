// Public API of the Taiga emulator: a real HTTP server on 127.0.0.1 that
// behaves like taiga-back 6.7.3 for the endpoints in resources/.
import { EmulatorServer } from './server.js';
import { Router } from './router.js';
import { seed } from './seed.js';
import { State } from './state.js';
import { authRoutes } from './resources/auth.js';
import { projectRoutes } from './resources/projects.js';
import { membershipRoutes } from './resources/memberships.js';
import { storyRoutes } from './resources/userstories.js';
import { metadataRoutes } from './resources/metadata.js';
import { milestoneRoutes } from './resources/milestones.js';
import { miscRoutes } from './resources/misc.js';

export interface EmulatorOptions {
  port?: number;
  accessTokenTtlSeconds?: number;
}
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorized: boolean;
  status: number;
}
export interface Knobs {
  latencyMs: number;
  failNext(count: number, opts?: { status?: number; html?: boolean; match?: RegExp }): void;
  resetNext(count: number, opts?: { match?: RegExp }): void;
  hangNext(count: number, opts?: { match?: RegExp }): void;
  throttleNext(count: number, waitSeconds: number, opts?: { match?: RegExp }): void;
  clear(): void;
}
export interface Emulator {
  readonly url: string;
  readonly apiUrl: string;
  readonly knobs: Knobs;
  readonly requests: RecordedRequest[];
  writes(): RecordedRequest[];
  reset(): void;
  expireAccessTokens(): void;
  /** An application token of `username`, as Taiga's application-token flow would give it. */
  applicationToken(username: string): string;
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const AUTH_PATHS = new Set(['/api/v1/auth', '/api/v1/auth/refresh']);

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const router = new Router();
  for (const table of [authRoutes, projectRoutes, membershipRoutes, storyRoutes, metadataRoutes, milestoneRoutes, miscRoutes]) {
    router.add(table);
  }
  const server = new EmulatorServer(router, opts.accessTokenTtlSeconds ?? 86_400);
  seed(server.state);
  const url = await server.listen(opts.port ?? 0);
  return {
    url,
    apiUrl: server.apiUrl,
    knobs: server.knobs,
    requests: server.requests,
    writes: () => server.requests.filter((r) => WRITE_METHODS.has(r.method) && !AUTH_PATHS.has(r.path)),
    reset() {
      server.state = new State();
      seed(server.state);
      server.tokens.reset();
      server.requests.length = 0;
      server.knobs.clear();
    },
    expireAccessTokens: () => server.tokens.expireAccessTokens(),
    applicationToken: (username) => server.tokens.issueApplicationToken(server.state.userByLogin(username)!.id),
    close: () => server.close(),
  };
}
