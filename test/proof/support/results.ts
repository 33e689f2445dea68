import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ERROR_CATALOG, type ErrorCode } from '../../../core/errors.js';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  hint: string;
  request_id: string;
  details?: Record<string, unknown>;
}

const KEYS = new Set(['code', 'message', 'hint', 'request_id', 'details']);

/**
 * The error of a failed call, after checking that it is the documented payload and nothing else:
 * one text block holding `{"error": {code, message, hint, request_id, details?}}` with a tool code
 * of the catalog, a short message without a stack trace.
 */
export function structuredError(result: CallToolResult, where: string): ErrorBody {
  assert.equal(result.isError, true, `${where}: expected an error result`);
  assert.equal(result.content.length, 1, `${where}: one content block`);
  const block = result.content[0]!;
  assert.equal(block.type, 'text', `${where}: a text block`);
  const parsed = JSON.parse((block as { text: string }).text) as { error?: ErrorBody };
  assert.deepEqual(Object.keys(parsed), ['error'], `${where}: only "error" at the top`);
  const error = parsed.error!;
  for (const key of Object.keys(error)) assert.ok(KEYS.has(key), `${where}: unexpected key ${key} in the error`);
  assert.ok(error.code in ERROR_CATALOG && ERROR_CATALOG[error.code].kind === 'tool', `${where}: ${String(error.code)} is not a tool error code`);
  for (const key of ['message', 'hint', 'request_id'] as const) assert.equal(typeof error[key], 'string', `${where}: ${key} is a string`);
  assert.ok(error.message.length > 0 && error.message.length < 2000, `${where}: the message is short`);
  assert.doesNotMatch(error.message, /\bat .+\.[cm]?js:\d+/, `${where}: no stack trace`);
  return error;
}
