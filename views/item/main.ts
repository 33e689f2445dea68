// The item view, shown beside get_user_story, get_task, get_issue and get_epic: the item's fields
// (the tool's structuredContent), then, read through the host, a story's tasks or an epic's
// stories, and the item's recent history with its comments.
import { day, h, note, refText, safeColor, section } from '../shared/dom.js';
import { failure, startView, type ViewHost } from '../shared/host.js';

type Item = Record<string, unknown> & { id: number; ref: number; subject: string; project?: number; description?: string };
interface Kind { name: string; label: string }
interface Row { ref: number; subject: string; status?: string; closed?: boolean; assigned_to?: string; total_points?: number }
interface Entry { user?: string; date: string; changes?: Record<string, [unknown, unknown]>; comment?: string }

const KINDS: Record<string, Kind> = {
  user_story_id: { name: 'user_story', label: 'User story' },
  task_id: { name: 'task', label: 'Task' },
  issue_id: { name: 'issue', label: 'Issue' },
  epic_id: { name: 'epic', label: 'Epic' },
};
const HISTORY = 15;

/** Which get_ tool this is: its id argument names the kind. */
const kindOf = (args: Record<string, unknown>): Kind => Object.entries(KINDS).find(([arg]) => arg in args)?.[1] ?? { name: 'item', label: 'Item' };

const at = (u: unknown) => `@${String(u)}`;
const list = (x: unknown) => (Array.isArray(x) ? x.map(String).join(', ') : String(x));
const yes = () => 'yes';

/** The fields worth a line, in the order a person reads them; each value is text. */
const FIELDS: ReadonlyArray<readonly [string, string, (v: unknown) => string]> = [
  ['assigned_to', 'Assigned to', at],
  ['co_assignees', 'Also assigned', (x) => (x as string[]).map(at).join(' ')],
  ['sprint', 'Sprint', String],
  ['total_points', 'Points', String],
  ['type', 'Type', String],
  ['priority', 'Priority', String],
  ['severity', 'Severity', String],
  ['user_story_ref', 'User story', (x) => refText(x as number)],
  ['epics', 'Epics', (x) => (x as Array<{ ref: number; subject: string }>).map((e) => `${refText(e.ref)} ${e.subject}`).join(', ')],
  ['user_stories', 'Stories', (x) => { const c = x as { total: number; progress?: number }; return `${c.total}${c.progress !== undefined ? `, ${Math.round(c.progress * 100)}% done` : ''}`; }],
  ['due_date', 'Due', String],
  ['iocaine', 'Iocaine', yes],
  ['client_requirement', 'Client requirement', yes],
  ['team_requirement', 'Team requirement', yes],
  ['tags', 'Tags', list],
  ['owner', 'Created by', at],
  ['created', 'Created', (x) => day(String(x))],
  ['modified', 'Modified', (x) => day(String(x))],
  ['finished', 'Finished', (x) => day(String(x))],
  ['version', 'Version', String],
];

function fields(item: Item): HTMLElement {
  const rows = FIELDS.filter(([key]) => item[key] !== undefined && item[key] !== false).flatMap(([key, label, text]) => [h('dt', { text: label }), h('dd', { attrs: { 'data-field': key }, text: text(item[key]) })]);
  return h('dl', { class: 'fields' }, ...rows);
}

function rowsOf(items: Row[]): HTMLElement {
  return h(
    'ul',
    { class: 'related' },
    ...items.map((r) =>
      h(
        'li',
        { attrs: { 'data-ref': r.ref } },
        h('span', { class: 'ref', text: refText(r.ref) }),
        h('span', { class: 'subject', text: r.subject }),
        r.status ? h('span', { class: `badge${r.closed ? ' closed' : ''}`, text: r.status }) : null,
        r.total_points !== undefined ? h('span', { class: 'num', text: `${r.total_points} pt` }) : null,
        r.assigned_to ? h('span', { class: 'num', text: at(r.assigned_to) }) : null,
      ),
    ),
  );
}

async function related(host: ViewHost, kind: Kind, item: Item): Promise<HTMLElement | null> {
  if (kind.name === 'task') return item['user_story_ref'] !== undefined ? section('User story', note(`Part of user story ${refText(item['user_story_ref'] as number)}.`)) : null;
  const query = kind.name === 'user_story' ? { tool: 'list_tasks', args: { project_id: item.project, user_story: item.id, page_size: 100 }, title: 'Tasks', none: 'No tasks.' } : kind.name === 'epic' ? { tool: 'list_epic_user_stories', args: { epic_id: item.id, page_size: 100 }, title: 'User stories', none: 'No linked user stories.' } : undefined;
  if (!query) return null;
  const got = await host.call<{ items: Row[]; total: number | null }>(query.tool, query.args);
  if (!got.ok) return section(query.title, note(`Not available here (${query.tool}: ${got.message})`));
  const done = got.data.items.filter((r) => r.closed).length;
  return section(`${query.title} (${done}/${got.data.items.length} closed)`, got.data.items.length ? rowsOf(got.data.items) : note(query.none));
}

/** A changed value as text: names and numbers as they are, lists joined, anything else as JSON. */
const valueText = (v: unknown): string => (v === null || v === undefined || v === '' ? '–' : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : Array.isArray(v) ? v.map(valueText).join(', ') : JSON.stringify(v));

async function history(host: ViewHost, kind: Kind, item: Item): Promise<HTMLElement> {
  const got = await host.call<{ items: Entry[] }>('get_history', { kind: kind.name, item_id: item.id, page_size: HISTORY });
  if (!got.ok) return section('History and comments', note(`Not available here (get_history: ${got.message}).`));
  if (got.data.items.length === 0) return section('History and comments', note('Nothing yet.'));
  return section(
    'History and comments',
    h(
      'ol',
      { class: 'history' },
      ...got.data.items.map((e) =>
        h(
          'li',
          { class: e.comment ? 'entry comment' : 'entry' },
          h('div', { class: 'entry-head' }, h('strong', { text: e.user ? at(e.user) : 'someone' }), ' ', h('time', { text: e.date.replace('T', ' ').slice(0, 16), attrs: { datetime: e.date } })),
          e.changes ? h('ul', { class: 'changes' }, ...Object.entries(e.changes).map(([field, [from, to]]) => h('li', {}, h('span', { class: 'field', text: field }), ' ', h('span', { text: valueText(from) }), ' → ', h('span', { text: valueText(to) })))) : null,
          e.comment ? h('p', { class: 'text', text: e.comment }) : null,
        ),
      ),
    ),
  );
}

startView('item', async ({ args, outcome }, host, root) => {
  if (!outcome.ok) return void root.replaceChildren(failure(outcome));
  const item = outcome.data as Item;
  const kind = kindOf(args);
  const color = safeColor(item['color']);
  const swatch = color ? h('span', { class: 'swatch' }) : null;
  if (swatch && color) swatch.style.background = color;
  const head = h(
    'header',
    { class: 'head' },
    h('h1', {}, swatch, h('span', { class: 'kind', text: kind.label }), ' ', h('span', { class: 'ref', text: refText(item.ref) }), ' ', h('span', { class: 'subject', text: item.subject })),
    item['status'] !== undefined ? h('span', { class: `badge status${item['closed'] ? ' closed' : ''}`, text: `${String(item['status'])}${item['closed'] ? ' · closed' : ''}` }) : null,
    item['blocked'] ? h('span', { class: 'badge blocked', text: 'Blocked' }) : null,
  );
  const blocked = typeof item['blocked_note'] === 'string' && item['blocked_note'] ? h('p', { class: 'error blocked-note', text: `Blocked: ${item['blocked_note']}` }) : null;
  const description = item.description ? section('Description', h('p', { class: 'text', text: item.description })) : null;
  const slots = [h('div', {}, note('Loading…')), h('div', {}, note('Loading history…'))] as const;
  root.replaceChildren(head, blocked ?? '', fields(item), description ?? '', ...slots);
  const [rel, hist] = await Promise.all([related(host, kind, item), history(host, kind, item)]);
  slots[0].replaceChildren(rel ?? '');
  slots[1].replaceChildren(hist);
});
