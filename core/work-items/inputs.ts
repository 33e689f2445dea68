import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import type { ToolContext } from '../plugin/types.js';
import type { ChoiceKind } from '../resolve/project-metadata.js';
import { DateString, Description, Flag, IdOrName, NullableIdOrName, NullableUserRef, Subject, Tags, Text } from '../schemas.js';
import type { AnyInputField, WorkItemKind, WriteContext } from './kind.js';
import { loadItem, USER_STORY_TARGET } from './access.js';
import { checkMentions } from '../resolve/mentions.js';

type Raw = Record<string, unknown>;


/** A field Taiga takes as it is, under the same name unless `taigaKey` says otherwise. */
export function plain(schema: v.GenericSchema, taigaKey?: string): AnyInputField {
  return { schema, apply: (value, c) => void (c.body[taigaKey ?? c.field.split('.').at(-1)!] = value) };
}

/** A choice of the project (priority, severity, type…) by name or id. */
export function choice(kind: ChoiceKind, taigaKey: string): AnyInputField {
  return { schema: IdOrName, apply: async (value, c) => void (c.body[taigaKey] = await c.ctx.resolve.choice(c.project, kind, value, c.field)) };
}

/** Points are named by their label ("3", "1/2", "?"): an agent's 3 means three points, never the id 3. */
async function pointsId(c: WriteContext, role: string, value: number | string): Promise<number> {
  const options = (await c.ctx.resolve.project(c.project)).choices.points;
  const found = options.find((p) => p.name === String(value).trim() || (p.value !== null && p.value !== undefined && p.value === Number(value)));
  if (found) return found.id;
  throw new TaigaMcpError('INVALID_INPUT', {
    message: `${c.field}.${role}: ${JSON.stringify(String(value).slice(0, 20))} is not a points value of this project.`,
    details: { fields: { [`${c.field}.${role}`]: 'not a points value' }, valid_values: options.map((p) => p.name) },
  });
}

/** The fields every kind may pick from. A plugin adds its own with `plain`, `choice` or a custom InputField. */
export const inputs = {
  subject: plain(Subject),
  description: { schema: Description, apply: async (value: string, c: WriteContext) => void (c.body['description'] = await checkMentions(c.ctx, c.project, value, c.field)) },
  tags: plain(Tags),
  due_date: plain(v.nullable(DateString)),
  /** true, false, or the reason (blocked, with that note); unblocking clears the note. */
  blocked: {
    schema: v.union([Flag, Text(5000)]),
    apply: (value: boolean | string, c: WriteContext) => {
      c.body['is_blocked'] = value !== false;
      if (typeof value === 'string' || value === false) c.body['blocked_note'] = value === false ? '' : value;
    },
  },
  client_requirement: plain(Flag),
  team_requirement: plain(Flag),
  is_iocaine: plain(Flag),
  color: plain(v.pipe(v.string(), v.maxLength(7), v.hexColor('expected a colour like #a1b2c3'))),
  priority: choice('priority', 'priority'),
  severity: choice('severity', 'severity'),
  type: choice('issue_type', 'type'),
  status: {
    schema: IdOrName,
    apply: async (value: number | string, c: WriteContext) => void (c.body['status'] = await c.ctx.resolve.choice(c.project, c.kind.status, value, c.field)),
  },
  /** The one assignee; on a kind with co-assignees it replaces them all (assign_ with mode "add" adds). */
  assigned_to: {
    schema: NullableUserRef,
    apply: async (value: number | string | null, c: WriteContext) => {
      const user = value === null ? null : await c.ctx.resolve.user(c.project, value, c.field);
      c.body['assigned_to'] = user;
      if (c.kind.coAssignees) c.body['assigned_users'] = user === null ? [] : [user];
    },
  },
  sprint: {
    schema: NullableIdOrName,
    apply: async (value: number | string | null, c: WriteContext) => void (c.body['milestone'] = value === null ? null : await c.ctx.resolve.sprint(c.project, value, c.field)),
  },
  points: {
    schema: v.pipe(v.record(v.pipe(v.string(), v.maxLength(100)), IdOrName), v.maxEntries(20)),
    apply: async (value: Record<string, number | string>, c: WriteContext) => {
      const points: Record<string, number> = {};
      for (const [role, label] of Object.entries(value)) {
        points[String(await c.ctx.resolve.choice(c.project, 'role', role, `${c.field}.${role}`))] = await pointsId(c, role, label);
      }
      c.body['points'] = points;
    },
  },
  /** A task's story, by id or "#ref", in the same project; null for none. */
  user_story: {
    schema: NullableIdOrName,
    apply: async (value: number | string | null, c: WriteContext) => {
      c.body['user_story'] = value === null ? null : ((await loadItem(c.ctx, USER_STORY_TARGET, value, c.project, c.field))['id'] as number);
    },
  },
} satisfies Record<string, AnyInputField>;

/** Builds the Taiga body of create/update from the kind's fields, resolving every name first. */
export async function toTaigaBody(ctx: ToolContext, kind: WorkItemKind, project: number, input: Record<string, unknown>, prefix = ''): Promise<Raw> {
  const body: Raw = {};
  for (const [name, value] of Object.entries(input)) {
    const field = kind.write[name];
    if (field === undefined || value === undefined) continue;
    await field.apply(value as never, { ctx, kind, project, field: `${prefix}${name}`, body });
  }
  return body;
}
