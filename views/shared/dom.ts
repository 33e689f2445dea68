// Every string a Taiga user wrote (subjects, names, tags, comments) reaches the page through
// textContent or an attribute value, never through an HTML parser: these helpers are the only way
// the views build DOM, and none of them takes markup.

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string | number;
  attrs?: Attrs;
}

function setAttrs(el: Element, attrs: Attrs | undefined): void {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

/** An HTML element; strings among the children become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = String(props.text);
  setAttrs(el, props.attrs);
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (charts). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** A colour a user chose (an epic's): used only when it is a plain hex colour. */
export const safeColor = (value: unknown): string | undefined => (typeof value === 'string' && /^#[0-9a-f]{3,8}$/i.test(value) ? value : undefined);

/** "#12", the way Taiga names an item to people. */
export const refText = (ref: number | undefined): string => (ref === undefined ? '' : `#${ref}`);

/** A bar of done / total, with its numbers for assistive technology. */
export function progress(done: number, total: number, label: string): HTMLElement {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  return h('div', { class: 'bar', attrs: { role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done } }, fill);
}

/** A date (YYYY-MM-DD…) as its day, for lists where the time does not matter. */
export const day = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '');

/** Today in the viewer's own calendar, as Taiga writes days (YYYY-MM-DD). */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A section with a heading. */
export const section = (title: string, ...children: Child[]): HTMLElement => h('section', { class: 'section' }, h('h2', { text: title }), ...children);

/** What a part of a view shows when the data it needs is not available. */
export const note = (text: string): HTMLElement => h('p', { class: 'note', text });
