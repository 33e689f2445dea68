import { CLIENT_CAPABILITIES_META_KEY, type ClientCapabilities, type Server, type ServerContext } from '@modelcontextprotocol/server';

/** What the transport tells a tool call about asking its person. */
export interface ConfirmationChannel {
  /**
   * The client said it shows forms (elicitation): on this request's envelope (2026-07-28), or at
   * `initialize` on this connection (2025 era, stdio). A 2025-era client over stateless HTTP said it
   * to another instance, and could not be sent a request on this one: it cannot be asked.
   */
  readonly canAsk: boolean;
  /** The answers a retried request carries (2026-07-28), or those of the SDK's own elicitation/create round (2025). */
  readonly answers: Record<string, unknown> | undefined;
  /** The requestState the client echoed back: attacker-controlled until opened (confirmations.ts). */
  readonly state: string | undefined;
}

/** The first revision whose requests carry the client's capabilities and get input_required results. */
const MODERN = '2026-07-28';

export function confirmationChannel(server: Server, ctx: ServerContext): ConfirmationChannel {
  // Each era from its own source: a 2025-era request that claims capabilities in its _meta is not
  // believed, since the SDK would then send elicitation/create where nothing can answer it.
  const modern = (server.getNegotiatedProtocolVersion() ?? '') >= MODERN;
  // The SDK's envelope type lists no keys; the client's capabilities are under this one.
  const envelope = ctx.mcpReq.envelope as Readonly<Record<string, ClientCapabilities | undefined>> | undefined;
  const capabilities = modern ? envelope?.[CLIENT_CAPABILITIES_META_KEY] : server.getClientCapabilities();
  // With no requestState.verify hook configured, the SDK hands over the wire string as it came
  // (and refuses a requestState that is not a string before any handler runs).
  return { canAsk: showsForms(capabilities?.elicitation), answers: ctx.mcpReq.inputResponses, state: ctx.mcpReq.requestState<string>() };
}

/** `elicitation: {}` means form mode (its meaning before modes existed); otherwise `form` must be named. */
export function showsForms(elicitation: ClientCapabilities['elicitation']): boolean {
  if (elicitation === null || typeof elicitation !== 'object') return false;
  return 'form' in elicitation || !('url' in elicitation);
}
