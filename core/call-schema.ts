import * as v from 'valibot';
import type { AnyTool } from './plugin/types.js';

/** Shared by every tool that needs a session; optional when default credentials are configured. */
export const SessionIdField = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128)));

/** The schema a tool is validated against: its own fields, session_id, and nothing else. */
export function callSchema(tool: AnyTool): v.GenericSchema {
  const entries = tool.auth === 'none' ? tool.input.entries : { ...tool.input.entries, session_id: SessionIdField };
  return v.strictObject(entries);
}
