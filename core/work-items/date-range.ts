import * as v from 'valibot';
import type { Query } from '../taiga/request-target.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A real calendar day: JavaScript would read February 30th as March 2nd; Taiga's dateutil refuses it. */
const realDay = (day: string): boolean => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day);
};
const isBound = (s: string): boolean => (DAY.test(s) ? realDay(s) : INSTANT.test(s) && realDay(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)));

/** "from..to", either side open, or one day: each a date (YYYY-MM-DD) or an ISO timestamp. */
function bounds(value: string): [string, string] | undefined {
  const text = value.trim();
  const parts = text.includes('..') ? text.split('..') : [text, text];
  if (parts.length !== 2) return undefined;
  const [from, to] = parts.map((p) => p.trim()) as [string, string];
  if (from === '' && to === '') return undefined;
  return [from, to].every((b) => b === '' || isBound(b)) ? [from, to] : undefined;
}

export const DateRange = v.pipe(v.string(), v.maxLength(80), v.check((s) => bounds(s) !== undefined, 'expected "from..to" (either side may be empty), each a date YYYY-MM-DD or an ISO timestamp'));

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Taiga's date filters (`created_date__gte`…) for a range: the "to" day is included whole, so
 * "..2026-05-31" is before June 1st; a timestamp is taken to the second as given.
 */
export function dateRange(param: string, value: string, field: string): Query {
  const found = bounds(value);
  if (!found) throw new Error(`${field}: not a date range`);
  const [from, to] = found;
  return {
    ...(from && { [`${param}__gte`]: from }),
    ...(to && (DAY.test(to) ? { [`${param}__lt`]: nextDay(to) } : { [`${param}__lte`]: to })),
  };
}
