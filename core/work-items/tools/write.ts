import * as v from 'valibot';
import { defineTool } from '../../plugin/define.js';
import type { AnyTool } from '../../plugin/types.js';
import { Comment, ProjectRef, Subject, UserRef } from '../../schemas.js';
import { idArg, type WorkItemKind } from '../kind.js';
import { withArticle } from '../../render/english.js';
import { deleteItem } from '../access.js';
import { toTaigaBody } from '../inputs.js';
import { checkMentions } from '../../resolve/mentions.js';
import { changeOf, changeSchema, changeText, writeChange, DESTRUCTIVE, IDEMPOTENT_WRITE, target, targetEntries, WRITE, writeEntries } from './common.js';

type Raw = Record<string, unknown>;

export function createTool(kind: WorkItemKind): AnyTool {
  return defineTool({
    name: `create_${kind.name}`,
    title: `Create ${kind.label}`,
    description: `Create ${withArticle(kind.label)}.`,
    input: v.strictObject({ project_id: ProjectRef, ...writeEntries(kind), subject: Subject }),
    output: changeSchema(kind),
    annotations: WRITE,
    async handler(args, ctx) {
      const { project_id, ...fields } = args as Raw & { project_id: number | string };
      const project = await ctx.resolve.projectId(project_id);
      const body = await toTaigaBody(ctx, kind, project, fields);
      return changeOf(ctx, kind, undefined, await ctx.taiga.post<Raw>(kind.endpoint, { ...body, project }));
    },
    render: changeText(kind, 'Created '),
  });
}

export function updateTool(kind: WorkItemKind): AnyTool {
  return defineTool({
    name: `update_${kind.name}`,
    title: `Update ${kind.label}`,
    description: `Change fields of ${withArticle(kind.label)} and/or comment on it.`,
    input: v.strictObject({ ...targetEntries(kind), ...writeEntries(kind), comment: v.optional(Comment) }),
    output: changeSchema(kind),
    annotations: WRITE,
    async handler(args, ctx) {
      const { [idArg(kind)]: _id, project_id: _p, version: _v, comment, ...fields } = args as Raw;
      return writeChange(ctx, kind, args, async (item) => ({
        ...(await toTaigaBody(ctx, kind, item['project'] as number, fields)),
        ...(comment !== undefined && { comment: await checkMentions(ctx, item['project'] as number, comment as string, 'comment') }),
      }));
    },
    render: changeText(kind, 'Updated '),
  });
}

export function deleteTool(kind: WorkItemKind): AnyTool {
  return defineTool({
    name: `delete_${kind.name}`,
    title: `Delete ${kind.label}`,
    description: `Delete ${withArticle(kind.label)}${kind.deletes ? ` and ${kind.deletes}` : ''}.`,
    input: v.strictObject(targetEntries(kind)),
    output: v.object({ status: v.literal('deleted'), id: v.number(), ref: v.number() }),
    annotations: DESTRUCTIVE,
    confirmation: 'handler',
    async handler(args, ctx) {
      const item = await deleteItem(ctx, kind, target(kind, args), kind.deletes);
      return { status: 'deleted' as const, id: item['id'] as number, ref: item['ref'] as number };
    },
    render: (r) => `Deleted ${kind.label} #${r.ref} (id ${r.id}).`,
  });
}

export function assignTool(kind: WorkItemKind): AnyTool {
  const mode: v.ObjectEntries = kind.coAssignees ? { mode: v.optional(v.picklist(['replace', 'add'])) } : {};
  return defineTool({
    name: `assign_${kind.name}`,
    title: `Assign ${kind.label}`,
    description: `Assign ${withArticle(kind.label)} to a project member.`,
    input: v.strictObject({ ...targetEntries(kind), user_id: UserRef, ...mode }),
    output: changeSchema(kind),
    annotations: IDEMPOTENT_WRITE,
    async handler(args, ctx) {
      return writeChange(ctx, kind, args, async (item) => {
        const user = await ctx.resolve.user(item['project'] as number, args['user_id'] as number | string, 'user_id');
        if (!kind.coAssignees) return { assigned_to: user };
        if ((args as Record<string, unknown>)['mode'] !== 'add') return { assigned_to: user, assigned_users: [user] };
        const others = ((item['assigned_users'] as number[] | undefined) ?? []).filter((id) => id !== user);
        return { assigned_to: (item['assigned_to'] as number | null) ?? user, assigned_users: [...others, user] };
      });
    },
    render: changeText(kind, 'Assigned '),
  });
}

export function unassignTool(kind: WorkItemKind): AnyTool {
  return defineTool({
    name: `unassign_${kind.name}`,
    title: `Unassign ${kind.label}`,
    description: `Remove every assignee from ${withArticle(kind.label)}.`,
    input: v.strictObject(targetEntries(kind)),
    output: changeSchema(kind),
    annotations: IDEMPOTENT_WRITE,
    async handler(args, ctx) {
      return writeChange(ctx, kind, args, async () => ({ assigned_to: null, ...(kind.coAssignees && { assigned_users: [] }) }));
    },
    render: changeText(kind, 'Unassigned '),
  });
}

