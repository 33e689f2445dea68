/**
 * A noun with its indefinite article: "an issue", "an epic", "a user story", "a task". By its first
 * letters, as English mostly goes: "an" before a, e, i, o, and before a u not said "you" (an
 * update, an unassigned task; but a user, a unit: u then one consonant and a vowel, or "uni").
 */
export function withArticle(noun: string): string {
  return `${/^(?:[aeio]|u(?!ni|[b-df-hj-mp-tv-z][aeiou]))/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
