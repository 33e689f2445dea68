import { TaigaMcpError } from '../errors.js';
import type { Middleware, Next, ToolCall } from './types.js';

/**
 * Koa-style onion: each middleware gets `next` to run the rest.
 * Composed once per tool at start-up; calling `next()` twice is a bug in a middleware.
 */
export function compose(stack: readonly Middleware[]): (call: ToolCall) => Promise<void> {
  for (const mw of stack) {
    if (typeof mw !== 'function') throw new TaigaMcpError('MIDDLEWARE_INVALID', { message: 'A middleware is not a function.' });
  }
  return function run(call: ToolCall): Promise<void> {
    let last = -1;
    const dispatch = (i: number): Promise<void> => {
      if (i <= last) {
        return Promise.reject(new TaigaMcpError('INTERNAL', { message: 'next() called more than once', details: { middleware: stack[i - 1]?.name ?? 'unknown' } }));
      }
      last = i;
      const mw = stack[i];
      if (!mw) return Promise.resolve();
      const next: Next = () => dispatch(i + 1);
      try {
        return Promise.resolve(mw(call, next));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    return dispatch(0);
  };
}
