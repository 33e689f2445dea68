import type { Confirmations } from '../confirm/confirmations.js';
import { genericQuestion } from '../confirm/question.js';
import type { AnyTool } from '../plugin/types.js';
import type { Middleware } from './types.js';

/** Whether a person confirms a tool's writes (and so, under confirmations.mode "require", it takes `confirm`). */
export const confirmsWrites = (tool: AnyTool): boolean => tool.annotations.destructiveHint || tool.confirmation === 'handler';

/**
 * Gives the handler `ctx.confirm` and takes the `confirm` flag out of its arguments (it is for the
 * confirmation, not for Taiga). A destructive tool that does not ask in its handler is asked about
 * here, from its arguments, before it runs: no destructive write goes unconfirmed.
 */
export function confirm(tool: AnyTool, confirmations: Confirmations): Middleware {
  const before = tool.annotations.destructiveHint && tool.confirmation !== 'handler';
  return async function confirmStage(call, next) {
    const { confirm: flag, ...args } = call.args ?? {};
    call.args = args;
    // One yes per call: a handler that asks again (deleteItem in a tool that did not declare
    // `confirmation: 'handler'`) is not asked a second question about the call the person confirmed.
    let confirmed = false;
    call.confirm = async (request) => {
      if (!confirmed) confirmed = await confirmations.confirm(call, request, flag === true);
    };
    if (before) await call.confirm({ message: genericQuestion(tool, args) });
    return next();
  };
}
