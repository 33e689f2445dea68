import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Logger } from '../logger.js';
import type { ToolContext } from '../plugin/types.js';
import type { ToolCall, Middleware } from './types.js';
import { json } from '../render/untrusted.js';
import { TaigaMcpError } from '../errors.js';
import { resolveIn } from './call-scope.js';

/** Innermost stage: runs the tool with its context and shapes the MCP result. */
export function runHandler(opts: { logger: Logger; options?: Readonly<Record<string, unknown>> }): Middleware {
  const options = opts.options ?? {};
  return async function handlerStage(call) {
    const ctx = toolContext(call, opts.logger, options);
    const output = (await call.tool.handler(call.args ?? {}, ctx)) as Record<string, unknown>;
    call.output = output;
    call.result = successResult(output, call.tool.render ? call.tool.render(output) : undefined);
    if (call.extraContent) call.result.content.push(...call.extraContent);
  };
}

export function successResult(output: Record<string, unknown>, text?: string): CallToolResult {
  return { content: [{ type: 'text', text: text ?? json(output) }], structuredContent: output };
}

function toolContext(call: ToolCall, logger: Logger, options: Readonly<Record<string, unknown>>): ToolContext {
  // Made at first use: a pino child serialises and redacts its bindings when it is created, which
  // every call paid for a logger that few handlers use.
  let log: Logger | undefined;
  return {
    get taiga() {
      return resolveIn<ToolContext['taiga']>(call, 'taiga');
    },
    get session() {
      return resolveIn<ToolContext['session']>(call, 'session');
    },
    get resolve() {
      return resolveIn<ToolContext['resolve']>(call, 'resolve');
    },
    get log() {
      return (log ??= logger.child({ tool: call.tool.name, request_id: call.requestId }));
    },
    audit: call.audit,
    signal: call.signal,
    requestId: call.requestId,
    progress: (done, total, message) => resolveIn<ToolContext['progress']>(call, 'progress')(done, total, message),
    service: <T>(name: string) => resolveIn<T>(call, name),
    options,
    addContent: (block) => void (call.extraContent ??= []).push(block),
    confirm: (request) => {
      if (!call.confirm) throw new TaigaMcpError('INTERNAL', { message: 'This call did not pass the confirm stage of the pipeline.' });
      return call.confirm(request);
    },
  };
}
