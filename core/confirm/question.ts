import type { AnyTool } from '../plugin/types.js';
import { quote } from '../render/untrusted.js';

/** The longest question put to a person; a longer one is cut (a question is read, not scrolled). */
export const MAX_QUESTION = 1000;
/** Control and format characters (bidi overrides, zero-width marks, line separators): never shown to the person. */
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]+/gu;

/**
 * User-written text (a subject, a name) inside a question: one line, at most `max` characters, as a
 * quoted literal (untrusted.ts), so that a name cannot pose as the rest of the question.
 */
export function quoteShort(text: string, max = 80): string {
  const flat = text.replace(HIDDEN, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return quote(chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`);
}

/** The question as the person sees it: no control or format characters, bounded. */
export function cleanQuestion(message: string): string {
  const chars = [...message.replace(HIDDEN, ' ').trim()];
  return chars.length <= MAX_QUESTION ? chars.join('') : `${chars.slice(0, MAX_QUESTION - 1).join('')}…`;
}

/**
 * The question of a destructive tool that does not ask in its handler (a third-party tool written
 * before confirmations): its title, name and arguments, each value quoted and cut.
 */
export function genericQuestion(tool: AnyTool, args: Readonly<Record<string, unknown>>): string {
  const shown = Object.entries(args)
    .filter(([name]) => name !== 'session_id')
    .slice(0, 10)
    .map(([name, value]) => `${name} ${quoteShort(typeof value === 'string' ? value : JSON.stringify(value), 60)}`);
  return `${tool.title} (${tool.name})${shown.length > 0 ? ` with ${shown.join(', ')}` : ''}?`;
}
