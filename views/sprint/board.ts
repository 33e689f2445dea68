import { h } from '../shared/dom.js';
import type { Outcome } from '../shared/host.js';
import type { Column, Story, StoryChange, TaskCount } from './types.js';

export interface BoardOptions {
  columns: readonly Column[];
  stories: readonly Story[];
  /** Tasks done / total per story id, when the server could list them. */
  tasks?: ReadonlyMap<number, TaskCount>;
  /** Whether cards move (the server offers update_user_story). */
  canMove: boolean;
  /** Writes the move: the story as it was shown (its version) and the column it goes to. */
  move(story: Story, to: Column): Promise<Outcome<StoryChange>>;
  /** Says something to screen readers. */
  announce(text: string): void;
}

const HELP_ID = 'move-help';
const DRAG_THRESHOLD = 5;

/**
 * A column per user-story status, a card per story. A card moves by pointer (drag it onto another
 * column) or by keyboard (Space or Enter picks it up, the arrows choose a column, Space or Enter
 * drops it, Escape puts it back). A move is written with the version the card showed; when it
 * fails (a conflict: someone changed the story since) the card goes back and says why.
 */
export class Board {
  readonly el: HTMLElement;
  readonly #opts: BoardOptions;
  readonly #columns: Column[];
  readonly #stories = new Map<number, Story>();
  readonly #cards = new Map<number, HTMLElement>();
  readonly #lists = new Map<string, HTMLElement>();
  readonly #columnEls = new Map<string, HTMLElement>();
  readonly #busy = new Set<number>();
  #grabbed: { id: number; at: number } | undefined;

  constructor(opts: BoardOptions) {
    this.#opts = opts;
    // Statuses the project no longer lists (or that could not be read) still get a column.
    const known = new Set(opts.columns.map((c) => c.name));
    const extra = [...new Set(opts.stories.map((s) => s.status ?? '').filter((s) => !known.has(s)))].map((name) => ({
      name,
      closed: opts.stories.some((s) => (s.status ?? '') === name && s.closed === true),
    }));
    this.#columns = [...opts.columns, ...extra];
    for (const s of opts.stories) this.#stories.set(s.id, s);
    this.el = h(
      'div',
      { class: `board${opts.canMove ? ' movable' : ''}`, attrs: { role: 'group', 'aria-label': 'Board' } },
      ...this.#columns.map((c) => this.#column(c)),
    );
    if (opts.canMove) {
      this.el.append(h('p', { class: 'sr-only', attrs: { id: HELP_ID }, text: 'Space or Enter picks the card up; the left and right arrows choose a column; Space or Enter drops it; Escape puts it back.' }));
    }
    for (const s of opts.stories) this.#listOf(s.status ?? '')?.append(this.#card(s));
    this.#count();
  }

  #column(c: Column): HTMLElement {
    const list = h('ol', { class: 'cards' });
    const el = h(
      'div',
      { class: `column${c.closed ? ' closed' : ''}`, attrs: { 'data-status': c.name, role: 'group', 'aria-label': c.closed ? `${c.name} (closed)` : c.name } },
      h('div', { class: 'column-head' }, h('span', { class: 'column-name', text: c.name }), c.closed ? h('span', { class: 'badge closed', text: 'closed' }) : null, h('span', { class: 'count' })),
      list,
    );
    this.#lists.set(c.name, list);
    this.#columnEls.set(c.name, el);
    return el;
  }

  #listOf(status: string): HTMLElement | undefined {
    return this.#lists.get(status);
  }

  #count(): void {
    for (const [name, list] of this.#lists) {
      const n = list.children.length;
      const count = this.#columnEls.get(name)!.querySelector('.count')!;
      count.textContent = String(n);
      count.setAttribute('aria-label', `${n} ${n === 1 ? 'story' : 'stories'}`);
    }
  }

  #card(story: Story): HTMLElement {
    const tasks = this.#opts.tasks?.get(story.id);
    const people = [story.assigned_to, ...(story.co_assignees ?? [])].filter((u): u is string => !!u);
    const card = h(
      'li',
      { class: 'card', attrs: { tabindex: 0, 'data-id': story.id, 'data-ref': story.ref, 'data-version': story.version } },
      h(
        'div',
        { class: 'card-top' },
        h('span', { class: 'ref', text: `#${story.ref}` }),
        story.blocked ? h('span', { class: 'badge blocked', text: 'Blocked', attrs: story.blocked_note ? { title: story.blocked_note } : {} }) : null,
        story.total_points !== undefined ? h('span', { class: 'points', text: `${story.total_points} pt` }) : h('span', { class: 'points none', text: '– pt' }),
      ),
      h('div', { class: 'subject', text: story.subject }),
      h(
        'div',
        { class: 'card-meta' },
        h('span', { class: 'assignee', text: people.length ? people.map((u) => `@${u}`).join(' ') : 'unassigned' }),
        tasks ? h('span', { class: `tasks${tasks.total > 0 && tasks.done === tasks.total ? ' done' : ''}`, text: `tasks ${tasks.done}/${tasks.total}` }) : null,
      ),
      story.tags && story.tags.length > 0 ? h('ul', { class: 'tags' }, ...story.tags.map((t) => h('li', { text: t }))) : null,
    );
    card.setAttribute('aria-label', `#${story.ref} ${story.subject}${story.blocked ? ', blocked' : ''}`);
    if (this.#opts.canMove) {
      card.setAttribute('aria-roledescription', 'movable card');
      card.setAttribute('aria-describedby', HELP_ID);
      card.addEventListener('pointerdown', (e) => this.#pointerDown(e, story.id));
      card.addEventListener('keydown', (e) => this.#key(e, story.id));
      card.addEventListener('blur', () => this.#grabbed?.id === story.id && this.#release(false));
    }
    this.#cards.set(story.id, card);
    return card;
  }

  /** The column under a point of the page. */
  #columnAt(x: number, y: number): Column | undefined {
    return this.#columns.find((c) => {
      const r = this.#columnEls.get(c.name)!.getBoundingClientRect();
      return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
    });
  }

  #highlight(column: Column | undefined): void {
    for (const [name, el] of this.#columnEls) el.classList.toggle('target', name === column?.name);
  }

  #pointerDown(e: PointerEvent, id: number): void {
    if (e.button !== 0 || this.#busy.has(id)) return;
    const card = this.#cards.get(id)!;
    const start = { x: e.clientX, y: e.clientY };
    let dragging = false;
    card.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const dx = ev.clientX - start.x;
      const dy = ev.clientY - start.y;
      if (!dragging && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      dragging = true;
      card.classList.add('dragging');
      card.style.transform = `translate(${dx}px, ${dy}px)`;
      this.#highlight(this.#columnAt(ev.clientX, ev.clientY));
    };
    const end = (ev: PointerEvent) => {
      card.removeEventListener('pointermove', move);
      card.removeEventListener('pointerup', end);
      card.removeEventListener('pointercancel', end);
      card.classList.remove('dragging');
      card.style.transform = '';
      this.#highlight(undefined);
      if (!dragging || ev.type === 'pointercancel') return;
      const column = this.#columnAt(ev.clientX, ev.clientY);
      if (column) void this.#commit(id, column);
    };
    card.addEventListener('pointermove', move);
    card.addEventListener('pointerup', end);
    card.addEventListener('pointercancel', end);
  }

  #key(e: KeyboardEvent, id: number): void {
    if (this.#busy.has(id)) return;
    const pick = e.key === ' ' || e.key === 'Enter';
    const grabbed = this.#grabbed?.id === id ? this.#grabbed : undefined;
    if (!grabbed) {
      if (!pick) return;
      e.preventDefault();
      const story = this.#stories.get(id)!;
      const at = Math.max(0, this.#columns.findIndex((c) => c.name === (story.status ?? '')));
      this.#grabbed = { id, at };
      this.#cards.get(id)!.classList.add('grabbed');
      this.#highlight(this.#columns[at]);
      this.#opts.announce(`Picked up #${story.ref}, in ${this.#columns[at]?.name ?? 'no column'}. Left and right arrows choose a column, Space or Enter drops it, Escape puts it back.`);
      return;
    }
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      grabbed.at = Math.min(this.#columns.length - 1, Math.max(0, grabbed.at + (e.key === 'ArrowRight' ? 1 : -1)));
      const column = this.#columns[grabbed.at]!;
      this.#highlight(column);
      this.#opts.announce(`${column.name}${column.closed ? ' (closed)' : ''}`);
    } else if (pick) {
      e.preventDefault();
      this.#release(true);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.#release(false);
    }
  }

  #release(drop: boolean): void {
    const grabbed = this.#grabbed;
    if (!grabbed) return;
    this.#grabbed = undefined;
    this.#cards.get(grabbed.id)?.classList.remove('grabbed');
    this.#highlight(undefined);
    const column = this.#columns[grabbed.at];
    if (drop && column) void this.#commit(grabbed.id, column);
    else this.#opts.announce('Put back.');
  }

  /** Shows the card in its new column while the move is written; puts it back if the write fails. */
  async #commit(id: number, column: Column): Promise<void> {
    const story = this.#stories.get(id)!;
    if ((story.status ?? '') === column.name) return;
    const card = this.#cards.get(id)!;
    const home = { list: card.parentElement, next: card.nextElementSibling };
    this.#busy.add(id);
    card.querySelector('.card-error')?.remove();
    card.classList.remove('conflict', 'failed');
    card.classList.add('saving');
    card.setAttribute('aria-busy', 'true');
    this.#listOf(column.name)?.append(card);
    this.#count();
    const outcome = await this.#opts.move(story, column);
    this.#busy.delete(id);
    card.classList.remove('saving');
    card.removeAttribute('aria-busy');
    if (outcome.ok) {
      // The answer says what changed; a status move empties nothing a card shows (`cleared` holds at most `closed`).
      const saved: Story = { ...story, ...outcome.data };
      this.#stories.set(id, saved);
      const fresh = this.#card(saved);
      card.replaceWith(fresh);
      // Where Taiga says the story is now (normally the column it was dropped on).
      if ((saved.status ?? '') !== column.name) this.#listOf(saved.status ?? '')?.append(fresh);
      this.#count();
      fresh.focus();
      this.#opts.announce(`Moved #${saved.ref} to ${saved.status ?? column.name}.`);
      return;
    }
    if (home.list) home.list.insertBefore(card, home.next && home.next.parentElement === home.list ? home.next : null);
    this.#count();
    const conflict = outcome.code === 'VERSION_CONFLICT';
    card.classList.add(conflict ? 'conflict' : 'failed');
    card.setAttribute('data-error', outcome.code);
    const headline = conflict ? `Not moved: #${story.ref} changed since this board was shown. Nothing was written; refresh to see it.` : `Not moved (${outcome.code}).`;
    card.append(h('div', { class: 'card-error', attrs: { role: 'alert' } }, h('strong', { text: headline }), ' ', outcome.message));
    this.#opts.announce(headline);
  }
}
