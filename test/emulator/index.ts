// Public API of the Taiga emulator: a real HTTP server on 127.0.0.1 that
// behaves like taiga-back 6.7.3 for the endpoints in resources/.
import { EmulatorServer } from './server.js';
import { Router } from './router.js';
import { seed } from './seed.js';
import { State } from './state.js';
import type { TimelineLog } from './timeline.js';
import { authRoutes } from './resources/auth.js';
import { projectRoutes } from './resources/projects.js';
import { membershipRoutes } from './resources/memberships.js';
import { storyRoutes } from './resources/userstories.js';
import { metadataRoutes } from './resources/metadata.js';
import { milestoneRoutes } from './resources/milestones.js';
import { miscRoutes } from './resources/misc.js';
import { taskRoutes } from './resources/tasks.js';
import { issueRoutes } from './resources/issues.js';
import { epicRoutes } from './resources/epics.js';
import { historyRoutes } from './resources/history.js';
import { timelineRoutes } from './resources/timeline.js';
import { wikiRoutes } from './resources/wiki.js';
import { wikiLinkRoutes } from './resources/wiki-links.js';
import { attachmentRoutes } from './resources/attachments.js';
import { customAttributeRoutes } from './resources/custom-attributes.js';
import { customValueRoutes } from './resources/custom-values.js';
import { projectExtraRoutes } from './resources/project-extras.js';
import { filtersDataRoutes } from './resources/filters-data.js';
import { searchRoutes } from './resources/search.js';
import { invitationRoutes } from './resources/invitations.js';
import { notificationRoutes } from './resources/notifications.js';
import { boardRoutes } from './resources/boards.js';
import { localeRoutes } from './resources/locales.js';
import { isWrite } from './request-log.js';
import type { FaultTarget } from './knobs.js';
import type { HistoryEntry, HistoryKind } from './history.js';

export type { FaultTarget } from './knobs.js';
export type { HistoryEntry, HistoryKind } from './history.js';
export { MAX_BODY_BYTES, MAX_REQUESTS, type OmittedBody } from './request-log.js';
export { MAX_ATTACHMENT_BYTES } from './attachment-store.js';

export interface EmulatorOptions {
  port?: number;
  accessTokenTtlSeconds?: number;
  /** Keep requests in `requests` (default true). Off, only the totals are counted. */
  record?: boolean;
  /**
   * Bytes of attachments kept in memory, seeded files included (default
   * MAX_ATTACHMENT_BYTES, 64 MiB); an upload past it is refused with a 400 on
   * `attached_file`. Uploaded files are served back at their `url`
   * (GET /media/<attached_file>), outside /api/v1 and without authentication.
   */
  maxAttachmentBytes?: number;
}
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed body, raw text, null when empty, or an OmittedBody marker when MAX_BODY_BYTES or more; uploads keep each file as {filename, content_type, size}, never its bytes. */
  body: unknown;
  authorized: boolean;
  status: number;
}
export interface Knobs {
  latencyMs: number;
  failNext(count: number, opts?: { status?: number; html?: boolean } & FaultTarget): void;
  /** The connection is dropped before Taiga handles the request: nothing is applied. */
  resetNext(count: number, opts?: FaultTarget): void;
  hangNext(count: number, opts?: FaultTarget): void;
  throttleNext(count: number, waitSeconds: number, opts?: FaultTarget): void;
  /** The request is handled (a write is applied), then the connection drops after `bytes` of the body (default half; with no body, before the answer). */
  resetAfterBodyNext(count: number, opts?: { bytes?: number } & FaultTarget): void;
  /** The request is handled and its headers sent at once; the body follows one byte per `tickMs` (default 200). */
  slowBodyNext(count: number, opts?: { tickMs?: number } & FaultTarget): void;
  /** Runs `run` once before the next request whose `METHOD /path?query` matches is answered. */
  beforeNext(match: RegExp, run: () => Promise<void>): void;
  clear(): void;
}
export interface Emulator {
  readonly url: string;
  readonly apiUrl: string;
  /** taiga-back's MEDIA_URL: where attachment URLs point (another host, a CDN); unset, /media/ next to the API. reset() unsets it. */
  mediaUrl: string | undefined;
  readonly knobs: Knobs;
  /** The last MAX_REQUESTS requests, oldest first (empty with `record: false`). */
  readonly requests: RecordedRequest[];
  /** The writes among `requests` (POST/PUT/PATCH/DELETE, login and refresh excepted). */
  writes(): RecordedRequest[];
  /**
   * Requests and writes since start or the last reset(), counted even when
   * older entries have dropped off `requests` or recording is off. Count
   * "writes between two points" as the difference of two `totalWrites` reads.
   */
  readonly totalRequests: number;
  readonly totalWrites: number;
  /** Every history entry of an object, oldest first, hidden ones included: what a test checks writes against. */
  history(kind: HistoryKind, id: number): readonly HistoryEntry[];
  /** The timelines, which a test may fill past a paging limit without thousands of writes. */
  readonly timeline: TimelineLog;
  reset(): void;
  expireAccessTokens(): void;
  /** An application token of `username`, as Taiga's application-token flow would give it. */
  applicationToken(username: string): string;
  /** The token of a pending invitation, as Taiga e-mails it to the invitee (for `GET /invitations/{token}`). */
  invitationToken(membershipId: number): string | undefined;
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const router = new Router();
  const tables = [
    authRoutes, projectRoutes, membershipRoutes, storyRoutes, taskRoutes, issueRoutes, epicRoutes, metadataRoutes, milestoneRoutes, miscRoutes,
    historyRoutes, timelineRoutes, wikiRoutes, wikiLinkRoutes, attachmentRoutes, customAttributeRoutes, customValueRoutes,
    projectExtraRoutes, filtersDataRoutes, searchRoutes, invitationRoutes, boardRoutes, localeRoutes, notificationRoutes,
  ];
  for (const table of tables) router.add(table);
  const newState = () => new State({ maxAttachmentBytes: opts.maxAttachmentBytes });
  const server = new EmulatorServer(router, opts.accessTokenTtlSeconds ?? 86_400, opts.record ?? true);
  server.state = newState();
  seed(server.state);
  const url = await server.listen(opts.port ?? 0);
  return {
    url,
    apiUrl: server.apiUrl,
    get mediaUrl() {
      return server.mediaUrl;
    },
    set mediaUrl(url) {
      server.mediaUrl = url;
    },
    knobs: server.knobs,
    requests: server.log.entries,
    writes: () => server.log.entries.filter(isWrite),
    get totalRequests() {
      return server.log.totalRequests;
    },
    get totalWrites() {
      return server.log.totalWrites;
    },
    history: (kind, id) => server.state.history.of(kind, id),
    get timeline() {
      return server.state.timeline;
    },
    reset() {
      server.state = newState();
      seed(server.state);
      server.tokens.reset();
      server.log.clear();
      server.knobs.clear();
      server.mediaUrl = undefined;
    },
    expireAccessTokens: () => server.tokens.expireAccessTokens(),
    applicationToken: (username) => server.tokens.issueApplicationToken(server.state.userByLogin(username)!.id),
    invitationToken: (membershipId) => server.state.memberships.get(membershipId)?.token ?? undefined,
    close: () => server.close(),
  };
}
