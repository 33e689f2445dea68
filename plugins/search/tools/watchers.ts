import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { IdOrName, ProjectRef, UserRef, Version } from '../../../core/schemas.js';
import { IDEMPOTENT_WRITE, loadItem, READ, writeItem } from '../../../core/work-items/index.js';
import { quote, word } from '../../../core/render/untrusted.js';
import { COMMENTABLE, itemName } from '../../item-targets.js';

type Raw = Record<string, unknown>;
/** Only these take a `watchers` list (EditableWatchedResourceSerializer); a wiki page's is ignored by Taiga. */
const Watchable = v.picklist(['user_story', 'task', 'issue', 'epic']);
const Item = { item_id: IdOrName, project_id: v.optional(ProjectRef) };

async function usernames(ctx: ToolContext, project: number, ids: unknown): Promise<string[]> {
  const members = (await ctx.resolve.project(project)).members;
  return (Array.isArray(ids) ? ids : []).map((id) => members.find((m) => m.id === id)?.username ?? String(id));
}

export const addWatchers = defineTool({
  name: 'add_watchers',
  title: 'Add watchers',
  description: 'Add project members as watchers of an item.',
  input: v.strictObject({ kind: Watchable, ...Item, users: v.pipe(v.array(UserRef), v.minLength(1), v.maxLength(20)), version: v.optional(Version) }),
  output: v.object({ item: v.string(), watchers: v.array(v.string()), version: v.number() }),
  annotations: IDEMPOTENT_WRITE,
  async handler(args, ctx) {
    const target = COMMENTABLE[args.kind]!;
    const item = await loadItem(ctx, target, args.item_id, args.project_id, 'item_id');
    const project = item['project'] as number;
    const ids: number[] = [];
    for (const [i, user] of args.users.entries()) ids.push(await ctx.resolve.user(project, user, `users.${i}`));
    // Built from the item as last read: a retry after someone else's change keeps their watchers too.
    const saved = await writeItem(ctx, target, { value: item['id'] as number, version: args.version }, async (now) => {
      const current = (now['watchers'] as number[] | undefined) ?? [];
      return { watchers: [...current, ...ids.filter((id) => !current.includes(id))] };
    });
    return { item: itemName(args.kind, saved), watchers: await usernames(ctx, project, saved['watchers']), version: saved['version'] as number };
  },
  render: (r) => `${quote(r.item)} (now v${r.version}) watchers: ${r.watchers.map((u) => `@${word(u)}`).join(' ')}`,
});

const Listable = v.picklist(['user_story', 'task', 'issue', 'epic', 'wiki_page']);
const Person = (u: Raw): string => String(u['username']);

export const listWatchers = defineTool({
  name: 'list_watchers',
  title: 'List watchers and voters',
  description: "An item's watchers, and its voters (not for wiki pages).",
  input: v.strictObject({ kind: Listable, ...Item }),
  output: v.object({ item: v.string(), watchers: v.array(v.string()), voters: v.optional(v.array(v.string())) }),
  annotations: READ,
  async handler(args, ctx) {
    const target = COMMENTABLE[args.kind]!;
    const item = await loadItem(ctx, target, args.item_id, args.project_id, 'item_id');
    const at = `${target.endpoint}/${String(item['id'])}`;
    const [watchers, voters] = await Promise.all([ctx.taiga.all<Raw>(`${at}/watchers`, {}), args.kind === 'wiki_page' ? undefined : ctx.taiga.all<Raw>(`${at}/voters`, {})]);
    return { item: itemName(args.kind, item), watchers: watchers.items.map(Person), ...(voters && { voters: voters.items.map(Person) }) };
  },
  render: (r) => [`${quote(r.item)} watchers: ${r.watchers.map((u) => `@${word(u)}`).join(' ') || 'none'}`, ...(r.voters ? [`voters: ${r.voters.map((u) => `@${word(u)}`).join(' ') || 'none'}`] : [])].join('\n'),
});
