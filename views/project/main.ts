// The project view, shown beside get_project: open sprints and epics with their progress, and the
// project's issues counted by status, priority and severity. get_project gives the project and its
// lookups; the rest is read through the host with list tools, when the server offers them.
import { day, h, note, progress, refText, safeColor, section } from '../shared/dom.js';
import { failure, startView, type ViewHost } from '../shared/host.js';

const PAGE = 100;
const MAX_ISSUE_PAGES = 10;
const MAX_EPICS = 20;
const MAX_EPIC_STORY_PAGES = 5;

interface Lookups {
  issue_statuses?: string[];
  priorities?: string[];
  severities?: string[];
  closed_statuses?: { issue?: string[] };
  sprints?: Array<{ id: number; name: string; closed?: boolean }>;
}
interface ProjectData {
  project: { id: number; slug: string; name: string; description?: string; is_private?: boolean; members_count?: number; owner?: string };
  lookups: Lookups;
}
interface Paged<T> {
  items: T[];
  total: number | null;
  has_next: boolean;
}
interface SprintItem { id: number; name: string; start: string; finish: string; stories: number; total_points?: number; closed_points?: number }
interface EpicItem { id: number; ref: number; subject: string; color?: string; closed?: boolean }
interface StoryItem { closed?: boolean; total_points?: number }
interface IssueItem { status?: string; priority?: string; severity?: string }

/** Every page of a list tool, up to `max` pages; `cut` says when there was more. */
async function pages<T>(host: ViewHost, tool: string, args: Record<string, unknown>, max: number): Promise<{ items: T[]; total: number | null; cut: boolean } | undefined> {
  const items: T[] = [];
  let total: number | null = null;
  for (let page = 1; page <= max; page += 1) {
    const got = await host.call<Paged<T>>(tool, { ...args, page, page_size: PAGE });
    if (!got.ok) return page === 1 ? undefined : { items, total, cut: true };
    items.push(...got.data.items);
    total = got.data.total;
    if (!got.data.has_next) return { items, total, cut: false };
  }
  return { items, total, cut: true };
}

async function sprints(host: ViewHost, data: ProjectData): Promise<HTMLElement> {
  const listed = await pages<SprintItem>(host, 'list_sprints', { project_id: data.project.id, state: 'open' }, 1);
  if (!listed) {
    const open = (data.lookups.sprints ?? []).filter((s) => !s.closed);
    return section('Open sprints', open.length ? h('ul', { class: 'rows' }, ...open.map((s) => h('li', { text: s.name }))) : note('No open sprint.'), note('Progress needs list_sprints (the sprints toolset).'));
  }
  if (listed.items.length === 0) return section('Open sprints', note('No open sprint.'));
  return section(
    'Open sprints',
    h(
      'ul',
      { class: 'rows' },
      ...listed.items.map((s) =>
        h(
          'li',
          { class: 'row', attrs: { 'data-sprint': s.id } },
          h('span', { class: 'label' }, h('strong', { text: s.name }), ' ', h('span', { class: 'note-inline', text: `${day(s.start)} → ${day(s.finish)}, ${s.stories} ${s.stories === 1 ? 'story' : 'stories'}` })),
          progress(s.closed_points ?? 0, s.total_points ?? 0, `${s.name}: points closed`),
          h('span', { class: 'num', text: `${s.closed_points ?? 0}/${s.total_points ?? 0} pt` }),
        ),
      ),
    ),
  );
}

async function epics(host: ViewHost, data: ProjectData): Promise<HTMLElement> {
  const listed = await pages<EpicItem>(host, 'list_epics', { project_id: data.project.id }, 1);
  if (!listed) return section('Epics', note('Epics need list_epics (the epics toolset).'));
  if (listed.items.length === 0) return section('Epics', note('No epics.'));
  const shown = listed.items.slice(0, MAX_EPICS);
  const rows = await Promise.all(
    shown.map(async (e) => {
      const stories = await pages<StoryItem>(host, 'list_epic_user_stories', { epic_id: e.id }, MAX_EPIC_STORY_PAGES);
      const swatch = h('span', { class: 'swatch' });
      const color = safeColor(e.color);
      if (color) swatch.style.background = color;
      const label = h('span', { class: 'label' }, swatch, h('span', { class: 'ref', text: refText(e.ref) }), ' ', h('span', { text: e.subject }), e.closed ? h('span', { class: 'badge closed', text: 'closed' }) : null);
      if (!stories) return h('li', { class: 'row epic', attrs: { 'data-ref': e.ref } }, label, h('span'), h('span', { class: 'num', text: '?' }));
      const closed = stories.items.filter((s) => s.closed);
      const points = (list: StoryItem[]) => Math.round(list.reduce((n, s) => n + (s.total_points ?? 0), 0) * 10) / 10;
      return h(
        'li',
        { class: 'row epic', attrs: { 'data-ref': e.ref } },
        label,
        progress(closed.length, stories.items.length, `Epic ${refText(e.ref)}: stories closed`),
        h('span', { class: 'num', text: `${closed.length}/${stories.items.length} stories · ${points(closed)}/${points(stories.items)} pt${stories.cut ? '+' : ''}` }),
      );
    }),
  );
  return section('Epics', h('ul', { class: 'rows' }, ...rows), listed.items.length > MAX_EPICS ? note(`The first ${MAX_EPICS} of ${listed.total ?? listed.items.length} epics.`) : null);
}

/** Counts by one field, in the project's order of its values (closed ones marked), then any value the project no longer lists. */
function counts(title: string, issues: IssueItem[], field: keyof IssueItem, order: readonly string[], closed: ReadonlySet<string> = new Set()): HTMLElement {
  const n = new Map<string, number>();
  for (const i of issues) {
    const value = i[field];
    if (value !== undefined) n.set(value, (n.get(value) ?? 0) + 1);
  }
  const names = [...order, ...[...n.keys()].filter((k) => !order.includes(k))];
  const max = Math.max(1, ...n.values());
  return h(
    'div',
    { class: 'count-group', attrs: { 'data-by': field } },
    h('h3', { text: title }),
    h(
      'ul',
      { class: 'rows' },
      ...names.map((name) =>
        h(
          'li',
          { class: 'row', attrs: { 'data-name': name } },
          h('span', { class: 'label' }, h('span', { text: name }), closed.has(name) ? h('span', { class: 'badge closed', text: 'closed' }) : null),
          progress(n.get(name) ?? 0, max, `${title}: ${name}`),
          h('span', { class: 'num', text: String(n.get(name) ?? 0) }),
        ),
      ),
    ),
  );
}

async function issues(host: ViewHost, data: ProjectData): Promise<HTMLElement> {
  const listed = await pages<IssueItem>(host, 'list_issues', { project_id: data.project.id }, MAX_ISSUE_PAGES);
  if (!listed) return section('Issues', note('Issue counts need list_issues (the issues toolset).'));
  const { lookups } = data;
  return section(
    `Issues (${listed.total ?? listed.items.length})`,
    listed.cut ? note(`Counted over the first ${listed.items.length} of ${listed.total ?? 'more'} issues.`) : null,
    h(
      'div',
      { class: 'counts' },
      counts('By status', listed.items, 'status', lookups.issue_statuses ?? [], new Set(lookups.closed_statuses?.issue ?? [])),
      counts('By priority', listed.items, 'priority', lookups.priorities ?? []),
      counts('By severity', listed.items, 'severity', lookups.severities ?? []),
    ),
  );
}

startView('project', async ({ outcome }, host, root) => {
  if (!outcome.ok) return void root.replaceChildren(failure(outcome));
  const data = outcome.data as unknown as ProjectData;
  const p = data.project;
  const head = h(
    'header',
    { class: 'head' },
    h('h1', { text: p.name }),
    h('span', { class: 'badge', text: p.is_private ? 'private' : 'public' }),
    h(
      'ul',
      { class: 'facts' },
      h('li', { text: p.slug }),
      p.owner ? h('li', { text: `owner @${p.owner}` }) : null,
      p.members_count !== undefined ? h('li', { text: `${p.members_count} members` }) : null,
    ),
  );
  const slots = [h('div', {}, note('Loading sprints…')), h('div', {}, note('Loading epics…')), h('div', {}, note('Loading issues…'))] as const;
  root.replaceChildren(head, p.description ? h('p', { class: 'text description', text: p.description }) : '', ...slots);
  await Promise.all([sprints(host, data), epics(host, data), issues(host, data)].map(async (part, i) => slots[i]!.replaceChildren(await part)));
});
