// The sprint view, shown beside get_sprint (and beside move_user_stories_to_sprint, whose sprint it
// fetches): the board and the burndown.
import { day, h, note, progress, section, today } from '../shared/dom.js';
import { failure, startView, type ViewHost } from '../shared/host.js';
import { Board } from './board.js';
import { burndownChart } from './burndown.js';
import type { Column, SprintData, Story, StoryChange, TaskCount } from './types.js';

const MAX_PAGES = 10;
/** get_sprint sends the burndown only when asked; the view always shows it, so every call of its own asks. */
const WITH_BURNDOWN = { include: ['burndown'] };

interface ProjectLookups {
  lookups: { us_statuses?: string[]; closed_statuses?: { user_story?: string[] } };
}
interface Page<T> {
  items: T[];
  has_next: boolean;
}

/** The project's user-story statuses in Taiga's order (get_project), else the ones the stories have. */
async function statusColumns(host: ViewHost, data: SprintData): Promise<Column[]> {
  const project = await host.call<ProjectLookups>('get_project', { project_id: data.sprint.project });
  if (!project.ok) return [];
  const closed = new Set(project.data.lookups.closed_statuses?.user_story ?? []);
  return (project.data.lookups.us_statuses ?? []).map((name) => ({ name, closed: closed.has(name) }));
}

/** Every item of the sprint's pages of a list tool, or undefined when the server cannot list them. */
async function sprintItems<T>(host: ViewHost, tool: string, data: SprintData): Promise<T[] | undefined> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const got = await host.call<Page<T>>(tool, { project_id: data.sprint.project, sprint: data.sprint.id, page, page_size: 100 });
    if (!got.ok) return undefined;
    items.push(...got.data.items);
    if (!got.data.has_next) break;
  }
  return items;
}

/** Tasks done / total per story of the sprint (list_tasks), or undefined when they cannot be listed. */
async function taskCounts(host: ViewHost, data: SprintData): Promise<Map<number, TaskCount> | undefined> {
  const tasks = await sprintItems<{ user_story_ref?: number; closed?: boolean }>(host, 'list_tasks', data);
  if (!tasks) return undefined;
  const byRef = new Map<number, TaskCount>();
  for (const t of tasks) {
    if (t.user_story_ref === undefined) continue;
    const count = byRef.get(t.user_story_ref) ?? { done: 0, total: 0 };
    count.total += 1;
    if (t.closed) count.done += 1;
    byRef.set(t.user_story_ref, count);
  }
  return new Map(data.stories.map((s) => [s.id, byRef.get(s.ref) ?? { done: 0, total: 0 }]));
}

/**
 * The stories' tags: Taiga's sprint payload leaves them out, so they come from list_user_stories,
 * only for a story still at the version the board shows (a newer one is not what the card says).
 */
async function withTags(host: ViewHost, data: SprintData): Promise<Story[]> {
  // A list names its stories by ref (unique in the project), not by id.
  const listed = await sprintItems<Pick<Story, 'ref' | 'version' | 'tags'>>(host, 'list_user_stories', data);
  const byRef = new Map((listed ?? []).map((s) => [s.ref, s]));
  return data.stories.map((s) => {
    const tags = byRef.get(s.ref)?.version === s.version ? byRef.get(s.ref)?.tags : undefined;
    return tags ? { ...s, tags } : s;
  });
}

function header(data: SprintData, refresh: (() => void) | undefined): HTMLElement {
  const { sprint, stats } = data;
  const button = refresh && h('button', { class: 'refresh', text: 'Refresh', attrs: { type: 'button' } });
  button?.addEventListener('click', refresh!);
  return h(
    'header',
    { class: 'head' },
    h('h1', { text: sprint.name }),
    sprint.closed ? h('span', { class: 'badge closed', text: 'closed' }) : h('span', { class: 'badge', text: 'open' }),
    h(
      'ul',
      { class: 'facts' },
      h('li', { text: `${day(sprint.start)} → ${day(sprint.finish)}` }),
      h('li', { text: `points ${stats.completed_points}/${stats.total_points}` }),
      h('li', { text: `stories ${stats.completed_stories}/${stats.total_stories}` }),
      h('li', { text: `tasks ${stats.completed_tasks}/${stats.total_tasks}` }),
    ),
    progress(stats.completed_points, stats.total_points, 'Points closed'),
    button,
  );
}

async function show(root: HTMLElement, host: ViewHost, data: SprintData): Promise<void> {
  const live = h('p', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
  const announce = (text: string) => void (live.textContent = text);
  const boardSlot = h('div', { class: 'board-slot' }, note('Loading the board…'));
  const refresh = host.can('get_sprint')
    ? async () => {
        const again = await host.call<SprintData>('get_sprint', { sprint_id: data.sprint.id, ...WITH_BURNDOWN });
        if (again.ok) await show(root, host, again.data);
        else announce(`Refresh failed: ${again.message}`);
      }
    : undefined;
  root.replaceChildren(header(data, refresh && (() => void refresh())), section('Board', boardSlot), section('Burndown', data.stats.burndown ? burndownChart(data.stats.burndown, today()) : note('No burndown: the server did not send it.')), live);

  const [columns, tasks, stories] = await Promise.all([statusColumns(host, data), taskCounts(host, data), withTags(host, data)]);
  const canMove = host.can('update_user_story');
  const board = new Board({
    columns,
    stories,
    ...(tasks && { tasks }),
    canMove,
    announce,
    // The version is the one this board showed: a story changed since is a VERSION_CONFLICT, nothing written.
    move: (story: Story, to: Column) => host.call<StoryChange>('update_user_story', { user_story_id: story.id, version: story.version, status: to.name }),
  });
  boardSlot.replaceChildren(
    data.stories.length === 0 ? note('No user stories in this sprint.') : board.el,
    canMove ? '' : note('Read-only: this server does not offer update_user_story, so cards do not move.'),
  );
}

startView('sprint', async ({ args, outcome }, host, root) => {
  if (!outcome.ok) return void root.replaceChildren(failure(outcome));
  const result = outcome.data;
  if ('sprint' in result && 'stats' in result) {
    const shown = result as unknown as SprintData;
    // The agent's get_sprint may have left the burndown out: the view reads the sprint again, asking for it.
    const full = shown.stats.burndown || !host.can('get_sprint') ? undefined : await host.call<SprintData>('get_sprint', { sprint_id: shown.sprint.id, ...WITH_BURNDOWN });
    return show(root, host, full?.ok ? full.data : shown);
  }
  // move_user_stories_to_sprint: the sprint the stories went to, fetched through the host.
  const moved = result as { moved?: number[]; to?: string | null };
  const summary = h('p', { class: 'note', text: `Moved ${(moved.moved ?? []).map((r) => `#${r}`).join(', ')} to ${moved.to ?? 'the backlog'}.` });
  if (moved.to === null || moved.to === undefined || args['sprint'] === null || args['sprint'] === undefined) return void root.replaceChildren(summary);
  const sprint = await host.call<SprintData>('get_sprint', { sprint_id: args['sprint'], project_id: args['project_id'], ...WITH_BURNDOWN });
  if (!sprint.ok) return void root.replaceChildren(summary, failure(sprint));
  return show(root, host, sprint.data);
});
