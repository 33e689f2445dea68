import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import type { Middleware } from './types.js';

/** Checks the arguments against the tool's schema; the error names every bad field. */
export function validate(schema: v.GenericSchema): Middleware {
  return async function validateStage(call, next) {
    const parsed = v.safeParse(schema, call.rawArgs);
    if (!parsed.success) throw invalidInput(parsed.issues);
    call.args = parsed.output as Record<string, unknown>;
    return next();
  };
}

export function invalidInput(issues: readonly v.BaseIssue<unknown>[]): TaigaMcpError {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(p.key)).join('.') || '(arguments)';
    if (fields[path]) continue;
    fields[path] = issue.expected === 'never' ? 'unknown field' : describeIssue(issue);
  }
  const names = Object.keys(fields);
  return new TaigaMcpError('INVALID_INPUT', {
    message: `Invalid ${names.length === 1 ? 'field' : 'fields'}: ${names.join(', ')}.`,
    details: { fields },
  });
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  const received = typeof issue.input === 'string' && issue.input.length > 40 ? `a string of ${issue.input.length} characters` : issue.received;
  const expected = issue.expected ?? 'a valid value';
  if (issue.kind === 'validation' && issue.message && !issue.message.startsWith('Invalid ')) return issue.message;
  return `expected ${expected}, received ${received}`;
}
