import { createHash, randomBytes } from 'node:crypto';
import { acceptedContent, inputRequired, inputResponse, type InputRequiredResult } from '@modelcontextprotocol/server';
import type { Config } from '../config/schema.js';
import { TaigaMcpError } from '../errors.js';
import type { ToolCall } from '../pipeline/types.js';
import { TokenCipher } from '../sessions/token-cipher.js';
import type { StateStore } from '../sessions/types.js';
import { cleanQuestion } from './question.js';
import type { ConfirmationRequest } from './request.js';

export type { ConfirmationRequest } from './request.js';

/** What a handler asks a person to confirm (ToolContext.confirm). */

/** Thrown by `confirm` when the person must be asked first; translate-error turns it into the input_required result. */
export class ConfirmationPending extends Error {
  constructor(readonly result: InputRequiredResult) {
    super();
  }
}

/** How long a question may wait for its answer (the SDK waits as long for a 2025 client's answer). */
export const CONFIRMATION_TTL_MS = 600_000;
/** The key of the one input request (and of its answer). */
export const ANSWER_KEY = 'confirmation';
const REQUESTED_SCHEMA = {
  type: 'object' as const,
  properties: { confirm: { type: 'boolean' as const, title: 'Yes, do it', description: 'Tick to let this write happen.' } },
  required: ['confirm'],
};

/** What a sealed requestState holds: its expiry (the store's clock), its single-use nonce, and the digest of the question and version. */
interface Sealed {
  e: number;
  n: string;
  w: string;
}

/**
 * Confirmation of writes by the person behind the agent, for every call of the app.
 *
 * The requestState that a 2026-07-28 client echoes between rounds is sealed (AES-256-GCM) with its
 * binding as associated data: the principal, the tool and the arguments (the `confirm` flag left
 * out). It holds the digest of the question and version the person saw, an expiry on the store's
 * clock, and a nonce spent once in the store. So a client cannot forge one (no key), move one to
 * other arguments, another tool or another principal (the binding does not open it), replay an
 * answer (the nonce is spent), or use one for an object that changed since (the digest differs:
 * VERSION_CONFLICT). The key comes from store.encryptionKey, which every instance behind a load
 * balancer shares; without it (memory store: one process), it is made at start.
 */
export class Confirmations {
  private readonly cipher: TokenCipher;

  constructor(
    readonly settings: Config['confirmations'],
    private readonly store: StateStore,
    key: string = randomBytes(32).toString('base64'),
  ) {
    this.cipher = new TokenCipher(key, 'taiga-mcp confirmation');
  }

  static forConfig(config: Config, store: StateStore): Confirmations {
    // Only a Redis store has a key (store.encryptionKey or TAIGA_MCP_STORE_KEY).
    return new Confirmations(config.confirmations, store, (config.store as { encryptionKey?: string }).encryptionKey);
  }

  /**
   * Resolves when the write may go on, with whether the person said yes to it; throws
   * ConfirmationPending (ask first), DECLINED, CONFIRMATION_* or VERSION_CONFLICT. `flagged`: the
   * call said `confirm: true`, which counts only where the client cannot ask and the mode is "require".
   */
  async confirm(call: ToolCall, request: ConfirmationRequest, flagged: boolean): Promise<boolean> {
    const { mode, bulkThreshold } = this.settings;
    if (mode === 'off' || (request.items ?? Infinity) <= bulkThreshold) return false;
    const channel = call.confirmationChannel;
    const answered = channel?.answers?.[ANSWER_KEY] !== undefined;
    if (!answered && !channel?.canAsk && (mode === 'ask' || flagged)) return false;
    const question = cleanQuestion(typeof request.message === 'string' ? request.message : await request.message());
    const binding = bindingOf(call);
    const seen = digest(canonical([question, request.version ?? null]));
    if (answered) {
      await this.answered(channel.answers!, channel.state, binding, seen, question);
      return true;
    }
    if (channel?.canAsk) {
      const now = await this.store.now();
      const sealed: Sealed = { e: now + CONFIRMATION_TTL_MS, n: randomBytes(16).toString('base64url'), w: seen };
      throw new ConfirmationPending(
        inputRequired({
          inputRequests: { [ANSWER_KEY]: inputRequired.elicit({ message: question, requestedSchema: REQUESTED_SCHEMA }) },
          requestState: this.cipher.seal(JSON.stringify(sealed), binding),
        }),
      );
    }
    throw new TaigaMcpError('CONFIRMATION_REQUIRED', { message: `A person must confirm this write, and this client cannot ask one: ${question}`, details: { question } });
  }

  private async answered(answers: Record<string, unknown>, state: string | undefined, binding: string, seen: string, question: string): Promise<void> {
    if (acceptedContent(answers, ANSWER_KEY)?.['confirm'] !== true) {
      const answer = inputResponse(answers, ANSWER_KEY);
      const action = answer.kind === 'elicit' ? answer.action : 'none';
      throw new TaigaMcpError('DECLINED', { message: `The person did not confirm: ${question} Nothing was written.`, details: { action } });
    }
    const opened = state === undefined ? undefined : this.cipher.open(state, binding);
    const sealed = opened === undefined ? undefined : (JSON.parse(opened) as Sealed);
    if (sealed === undefined) throw invalid('not a confirmation this server gave for this call');
    if (sealed.e <= (await this.store.now())) throw invalid('expired');
    if (sealed.w !== seen) {
      throw new TaigaMcpError('VERSION_CONFLICT', {
        message: `What the person confirmed is no longer what this call would do; now: ${question} Nothing was written.`,
        details: { question },
        hint: 'Call again: the person will be asked about what is there now.',
      });
    }
    if (!(await this.store.claimOnce(`confirmation:${sealed.n}`, CONFIRMATION_TTL_MS))) throw invalid('already used');
  }
}

const invalid = (reason: string) => new TaigaMcpError('CONFIRMATION_INVALID', { details: { reason } });

/** Who asks, with which tool, with which arguments: the associated data of the sealed state. */
function bindingOf(call: ToolCall): string {
  return digest(`${call.principal}\u0000${call.tool.name}\u0000${canonical(call.args ?? {})}`);
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');

/** JSON with every object's keys sorted: the same arguments give the same text in any order. */
export function canonical(value: unknown): string {
  // Keys in code-unit order (sort's own, the same on every instance, whatever its locale).
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}
