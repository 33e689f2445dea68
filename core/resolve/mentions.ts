import { TaigaMcpError } from '../errors.js';
import type { ToolContext } from '../plugin/types.js';
import { quote } from '../render/untrusted.js';

/**
 * taiga-back's mention pattern (mdrender/extensions/mentions.py, `\B(@)([\w.-]+)\b`): an @ not
 * after a word character, then a name that ends on a word character (so "@ann." names "ann", and
 * "bob@example.com" names nobody). Python's \w is Unicode: letters, digits, underscore.
 */
const MENTION = /(?<![\p{L}\p{N}_])@([\p{L}\p{N}_.-]*[\p{L}\p{N}_])/gu;
/** Markdown code is not rendered as mentions: fenced blocks, then inline spans. */
const CODE = /```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`/g;
const MAX_LISTED = 50;

/** The usernames a Markdown text mentions, as Taiga reads them (each once, in order). */
export function mentionedNames(text: string): string[] {
  return [...new Set([...text.replace(CODE, ' ').matchAll(MENTION)].map((m) => m[1]!))];
}

/**
 * A mention reaches someone only when it names a member of the project (Taiga matches the username
 * exactly and leaves any other @name as plain text): an unknown one is refused before anything is
 * written, with the members listed. Returns the text unchanged.
 */
export async function checkMentions(ctx: ToolContext, projectId: number, text: string, field: string): Promise<string> {
  const names = mentionedNames(text);
  if (names.length === 0) return text;
  const unknown = (members: ReadonlyArray<{ username: string }>) => names.filter((n) => !members.some((m) => m.username === n));
  let members = (await ctx.resolve.project(projectId)).members;
  // A member added in Taiga a moment ago is found: the project is read again once before refusing.
  if (unknown(members).length > 0) members = (await ctx.resolve.projectDetail(projectId)).meta.members;
  const missing = unknown(members);
  if (missing.length === 0) return text;
  const listed = missing.slice(0, 5).map((n) => quote(`@${n.slice(0, 60)}`)).join(', ');
  throw new TaigaMcpError('INVALID_INPUT', {
    message: `${field}: ${listed} ${missing.length === 1 ? 'is not a member' : 'are not members'} of this project, so the mention would reach no one.`,
    details: { fields: { [field]: 'mentions a non-member' }, valid_values: members.map((m) => `@${m.username}`).slice(0, MAX_LISTED) },
    hint: 'Mention members by their username, or write the name without @.',
  });
}
