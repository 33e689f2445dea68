import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import type { Middleware } from './types.js';

/** Bounds on what an error may echo of the input: an error is never bigger than it needs to be. */
const MAX_FIELDS = 20;
const MAX_NAME = 64;

/** Checks the arguments against the tool's schema; the error names every bad field (up to MAX_FIELDS). */
export function validate(schema: v.GenericSchema): Middleware {
  return async function validateStage(call, next) {
    const illFormed = illFormedPath(call.rawArgs, [], 0);
    if (illFormed !== undefined) {
      throw new TaigaMcpError('INVALID_INPUT', {
        message: `Invalid field: ${illFormed}.`,
        details: { fields: { [illFormed]: 'not valid Unicode text (a lone surrogate)' } },
      });
    }
    const parsed = v.safeParse(schema, call.rawArgs);
    if (!parsed.success) throw invalidInput(parsed.issues);
    call.args = parsed.output as Record<string, unknown>;
    return next();
  };
}

export function invalidInput(issues: readonly v.BaseIssue<unknown>[]): TaigaMcpError {
  const fields: Record<string, string> = {};
  let omitted = 0;
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => boundedName(String(p.key))).join('.') || '(arguments)';
    if (fields[path]) continue;
    if (Object.keys(fields).length >= MAX_FIELDS) {
      omitted += 1;
      continue;
    }
    fields[path] = issue.expected === 'never' ? 'unknown field' : describeIssue(issue);
  }
  const names = Object.keys(fields);
  return new TaigaMcpError('INVALID_INPUT', {
    message: `Invalid ${names.length === 1 ? 'field' : 'fields'}: ${names.slice(0, 5).join(', ')}${names.length > 5 || omitted ? ' and more' : ''}.`,
    details: { fields, ...(omitted > 0 && { fields_omitted: omitted }) },
  });
}

/** A key as the client sent it, cut so that a 5 MB key costs 64 characters in the answer. */
export function boundedName(name: string): string {
  const flat = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return flat.length <= MAX_NAME ? flat : `${flat.slice(0, MAX_NAME - 1)}…`;
}

/**
 * The path of the first string (or key) with a lone surrogate: no Taiga request can carry it.
 * The path is built only on the way out of a find: every call walks its arguments.
 */
function illFormedPath(value: unknown, path: readonly string[], depth: number): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path.map(boundedName).join('.') || '(arguments)';
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!key.isWellFormed()) return [...path, key].map(boundedName).join('.');
    const child = (value as Record<string, unknown>)[key];
    if (typeof child !== 'string' && (child === null || typeof child !== 'object')) continue;
    const found = illFormedPath(child, [...path, key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  const received = typeof issue.input === 'string' && issue.input.length > 40 ? `a string of ${issue.input.length} characters` : String(issue.received).slice(0, 60);
  const expected = String(issue.expected ?? 'a valid value').slice(0, 120);
  if (issue.kind === 'validation' && issue.message && !issue.message.startsWith('Invalid ')) return issue.message.slice(0, 200);
  return `expected ${expected}, received ${received}`;
}
