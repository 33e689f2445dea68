import * as v from 'valibot';
import { defineTool } from '../../plugin/define.js';
import type { AnyTool, ToolContext } from '../../plugin/types.js';
import { BatchOutput, renderBatch, runBatch } from '../../batch.js';
import { TaigaMcpError } from '../../errors.js';
import { IdOrName, ProjectRef, Subject } from '../../schemas.js';
import { writeItem } from '../access.js';
import { toTaigaBody } from '../inputs.js';
import type { WorkItemKind } from '../kind.js';
import { rememberShown } from '../shown-versions.js';
import { WRITE, IDEMPOTENT_WRITE, writeEntries } from './common.js';
import { quoteShort } from '../../confirm/question.js';

type Raw = Record<string, unknown>;
const MAX_ITEMS = 100;
/** What an item of a bulk create may set itself; the rest is shared (`common`), so the schema stays small. */
const PER_ITEM = ['description', 'status', 'assigned_to', 'tags'];

/** `bulk_update_tasks`: the same change (names resolved once, before any write) to up to 100 items of one project. */
export function bulkUpdateTool(kind: WorkItemKind, fields: readonly string[]): AnyTool {
  const ids = `${kind.name}_ids`;
  return defineTool({
    name: `bulk_update_${kind.plural}`,
    title: `Change many ${kind.labelPlural}`,
    description: `Set the same fields on up to ${MAX_ITEMS} ${kind.labelPlural} of one project.`,
    input: v.strictObject({ project_id: ProjectRef, [ids]: v.pipe(v.array(IdOrName), v.minLength(1), v.maxLength(MAX_ITEMS)), ...writeEntries(kind, fields) }),
    output: BatchOutput,
    annotations: IDEMPOTENT_WRITE,
    toolset: 'bulk',
    confirmation: 'handler',
    async handler(args, ctx) {
      const { project_id, [ids]: items, ...change } = args as Raw & { project_id: number | string };
      const project = await ctx.resolve.projectId(project_id);
      const body = await toTaigaBody(ctx, kind, project, change);
      if (Object.keys(body).length === 0) throw new TaigaMcpError('INVALID_INPUT', { message: `Give at least one of: ${fields.join(', ')}.` });
      const named = items as Array<number | string>;
      const set = Object.entries(change).map(([name, value]) => `${name} ${quoteShort(typeof value === 'string' ? value : JSON.stringify(value), 60)}`);
      await ctx.confirm({ message: `Set ${set.join(', ')} on ${named.length} ${kind.labelPlural} of ${await slugOf(ctx, project)}: ${listed(named.map((n) => (/^#?\d{1,12}$/.test(String(n)) ? String(n) : quoteShort(String(n), 30))))}?`, items: named.length });
      return runBatch(ctx, items as Array<number | string>, async (item) => {
        const saved = await writeItem(ctx, kind, { value: item, project }, async () => body);
        return { id: saved['id'] as number, ref: saved['ref'] as number };
      });
    },
    render: renderBatch,
  });
}

/**
 * `bulk_create_tasks`: up to 100 items in one project. Every name of every item is resolved before
 * the first write, so a bad name fails the call with nothing written; then each item is created in
 * turn (progress after each), and each result says what was done, failed, or may have been applied.
 * `common` fields apply to every item; an item's own description, status, assignee or tags win.
 */
export function bulkCreateTool(kind: WorkItemKind, listArg: string, common: readonly string[] = []): AnyTool {
  return defineTool({
    name: `bulk_create_${kind.plural}`,
    title: `Create many ${kind.labelPlural}`,
    description: `Create up to ${MAX_ITEMS} ${kind.labelPlural} in one project.`,
    input: v.strictObject({
      project_id: ProjectRef,
      ...writeEntries(kind, common),
      [listArg]: v.pipe(v.array(v.strictObject({ ...writeEntries(kind, PER_ITEM), subject: Subject })), v.minLength(1), v.maxLength(MAX_ITEMS)),
    }),
    output: BatchOutput,
    annotations: WRITE,
    toolset: 'bulk',
    confirmation: 'handler',
    async handler(args, ctx) {
      const { project_id, [listArg]: items, ...shared } = args as Raw & { project_id: number | string };
      const project = await ctx.resolve.projectId(project_id);
      const base = await toTaigaBody(ctx, kind, project, shared);
      const bodies: Raw[] = [];
      for (const [index, item] of (items as Raw[]).entries()) bodies.push({ ...base, ...(await toTaigaBody(ctx, kind, project, item, `${listArg}.${index}.`)), project });
      const subjects = bodies.map((b) => quoteShort(String(b['subject']), 60));
      await ctx.confirm({ message: `Create ${bodies.length} ${kind.labelPlural} in ${await slugOf(ctx, project)}: ${listed(subjects)}?`, items: bodies.length });
      return runBatch(ctx, bodies, async (body) => created(ctx, kind, await ctx.taiga.post<Raw>(kind.endpoint, body)));
    },
    render: renderBatch,
  });
}

const slugOf = async (ctx: ToolContext, project: number): Promise<string> => (await ctx.resolve.project(project)).slug;

/** The first few of a list a question names, and how many more. */
const listed = (names: readonly string[], shown = 10): string => `${names.slice(0, shown).join(', ')}${names.length > shown ? ` and ${names.length - shown} more` : ''}`;

function created(ctx: ToolContext, kind: WorkItemKind, raw: Raw): { id: number; ref: number } {
  rememberShown(ctx, kind, raw);
  return { id: raw['id'] as number, ref: raw['ref'] as number };
}

