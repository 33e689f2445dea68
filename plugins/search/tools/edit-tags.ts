import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { IdOrName, ProjectRef, Tags, Version } from '../../../core/schemas.js';
import { quote } from '../../../core/render/untrusted.js';
import { IDEMPOTENT_WRITE, writeItem } from '../../../core/work-items/index.js';
import { COMMENTABLE, itemName } from '../../item-targets.js';

type Raw = Record<string, unknown>;
const tagNames = (item: Raw): string[] => ((item['tags'] as unknown[] | undefined) ?? []).map((t) => String(Array.isArray(t) ? t[0] : t));

export const editTags = defineTool({
  name: 'edit_tags',
  title: 'Add or remove tags',
  description: 'Add and/or remove tags of an item, keeping the others (update_ replaces them all).',
  input: v.strictObject({ kind: v.picklist(['user_story', 'task', 'issue', 'epic']), item_id: IdOrName, project_id: v.optional(ProjectRef), add: v.optional(Tags), remove: v.optional(Tags), version: v.optional(Version) }),
  output: v.object({ item: v.string(), tags: v.array(v.string()), version: v.number() }),
  annotations: IDEMPOTENT_WRITE,
  async handler(args, ctx) {
    if (!args.add?.length && !args.remove?.length) throw new TaigaMcpError('INVALID_INPUT', { message: 'Give tags to add or to remove.', details: { fields: { add: 'give add or remove' } } });
    const target = COMMENTABLE[args.kind]!;
    // Taiga lower-cases tag names on save (taiga-api.md §9.16), so they are compared that way.
    const removed = new Set((args.remove ?? []).map((t) => t.toLowerCase()));
    const saved = await writeItem(ctx, target, { value: args.item_id, project: args.project_id, version: args.version }, async (item) => {
      const kept = tagNames(item).filter((t) => !removed.has(t.toLowerCase()));
      return { tags: [...new Set([...kept, ...(args.add ?? []).map((t) => t.toLowerCase())])] };
    });
    return { item: itemName(args.kind, saved), tags: tagNames(saved), version: saved['version'] as number };
  },
  render: (r) => `Tags of ${r.item} (v${r.version}): [${r.tags.map(quote).join(',')}]`,
});
