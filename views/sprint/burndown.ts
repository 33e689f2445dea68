import { h, note, svg } from '../shared/dom.js';
import type { BurndownDay } from './types.js';

const W = 640;
const H = 220;
const PAD = { left: 40, right: 14, top: 14, bottom: 30 };

const fmt = (n: number): string => String(Math.round(n * 10) / 10);

/**
 * Remaining points per day (Taiga's sprint stats) against the ideal line. Taiga computes every day
 * of the sprint, future ones included; only the days up to today have happened, so the remaining
 * line stops at today, which is marked.
 */
export function burndownChart(days: readonly BurndownDay[], today: string): HTMLElement {
  if (days.length === 0) return note('No burndown: the sprint has no days.');
  const max = Math.max(1, ...days.flatMap((d) => [d.open_points, d.optimal_points]));
  const x = (i: number) => PAD.left + (days.length === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (days.length - 1));
  const y = (v: number) => PAD.top + (1 - Math.max(0, v) / max) * (H - PAD.top - PAD.bottom);
  const pts = (list: ReadonlyArray<{ i: number; v: number }>) => list.map(({ i, v }) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');

  const past = days.map((d, i) => ({ d, i })).filter(({ d }) => d.day <= today);
  const todayIndex = days.findIndex((d) => d.day === today);
  const last = past[past.length - 1];

  const grid = [0, max / 2, max].map((v) =>
    svg('g', { class: 'tick' }, svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }), svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v))),
  );
  const labels = [0, days.length - 1].filter((i, n, all) => all.indexOf(i) === n).map((i) =>
    svg('text', { class: 'day', x: x(i), y: H - 10, 'text-anchor': i === 0 ? 'start' : 'end' }, days[i]!.day.slice(5)),
  );
  const summary = last
    ? `Burndown: ${fmt(last.d.open_points)} of ${fmt(days[0]!.open_points)} points remaining on ${last.d.day}, ideal ${fmt(last.d.optimal_points)}.`
    : `Burndown: the sprint starts on ${days[0]!.day}.`;

  const chart = svg(
    'svg',
    { class: 'burndown', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary },
    svg('title', {}, summary),
    ...grid,
    ...labels,
    svg('polyline', { class: 'ideal', points: pts(days.map((d, i) => ({ i, v: d.optimal_points }))) }),
    past.length > 0 && svg('polyline', { class: 'remaining', points: pts(past.map(({ d, i }) => ({ i, v: d.open_points }))) }),
    ...past.map(({ d, i }) => svg('circle', { class: 'remaining-point', cx: x(i), cy: y(d.open_points), r: 3 }, svg('title', {}, `${d.day}: ${fmt(d.open_points)} points remaining`))),
    todayIndex >= 0 && svg('g', { class: 'today' }, svg('line', { x1: x(todayIndex), x2: x(todayIndex), y1: PAD.top, y2: H - PAD.bottom }), svg('text', { x: x(todayIndex) + 4, y: PAD.top + 10 }, 'today')),
  );
  const legend = h('ul', { class: 'legend' }, h('li', { class: 'remaining', text: 'remaining points' }), h('li', { class: 'ideal', text: 'ideal' }));
  return h('figure', { class: 'chart' }, chart, legend);
}
