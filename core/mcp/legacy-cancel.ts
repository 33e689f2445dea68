import type { McpRequestContext, Server, ServerContext } from '@modelcontextprotocol/server';

/**
 * A 2025-era client over stateless HTTP cancels with a separate `notifications/cancelled` POST,
 * which reaches a fresh server instance that knows nothing of the running call. This map, keyed
 * by the caller's principal and the request id, lets that instance abort the right call. Only
 * for legacy HTTP instances: on stdio the pinned instance cancels by itself, and taking over
 * `notifications/cancelled` there would switch the SDK's own cancellation off.
 */
const running = new Map<string, AbortController>();

const keyOf = (rc: Partial<McpRequestContext> | undefined, id: unknown): string => `${String((rc?.authInfo?.extra as { principal?: string } | undefined)?.principal ?? '')}\u0000${String(id)}`;

export function legacyHttpCancellation(server: Server, rc: Partial<McpRequestContext> | undefined): { track(ctx: ServerContext): { signal: AbortSignal; release(): void } } {
  const legacyHttp = rc?.era === 'legacy' && rc.requestInfo !== undefined;
  if (legacyHttp) {
    server.setNotificationHandler('notifications/cancelled', (n) => {
      running.get(keyOf(rc, n.params.requestId))?.abort(n.params.reason ?? 'cancelled');
    });
  }
  return {
    track(ctx) {
      if (!legacyHttp) return { signal: ctx.mcpReq.signal, release: () => undefined };
      const key = keyOf(rc, ctx.mcpReq.id);
      const controller = new AbortController();
      running.set(key, controller);
      return { signal: AbortSignal.any([ctx.mcpReq.signal, controller.signal]), release: () => void (running.get(key) === controller && running.delete(key)) };
    },
  };
}
