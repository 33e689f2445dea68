import * as v from 'valibot';

/**
 * A pattern check whose refusal names what was expected in words (`expected a redis:// or rediss://
 * URL`): start-up errors print valibot's `expects`, which for a plain `v.regex` is the regex itself.
 */
export const matching = (pattern: RegExp, what: string) => ({ ...v.regex<string>(pattern), expects: what });
