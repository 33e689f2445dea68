// GET /milestones/{id}/stats (§9.9): points per role, completion counts and the
// burndown, one day per date of the sprint. Closed points come from finished
// tasks: each task closes its story's points divided by the story's task count,
// on the day it finished (or the first day, when it finished before).
import type { Ctx } from '../context.js';
import { notFoundModel, ok, type Reply } from '../http.js';
import { can, denied } from '../permissions.js';
import type { State } from '../state.js';
import { storyIsClosed } from '../story-closing.js';
import type { Milestone, UserStory } from '../types.js';
import { parseId } from './lookup.js';

/** Role id → summed points value ("?" counts 0), over every role the stories have. */
function pointsByRole(state: State, stories: UserStory[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of stories) {
    for (const [role, pointsId] of Object.entries(s.points)) out[role] = (out[role] ?? 0) + (state.choice('points', pointsId)?.value ?? 0);
  }
  return out;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const dayOf = (iso: string) => iso.slice(0, 10);
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Accumulated closed points at the end of each sprint day. */
function closedByDay(state: State, m: Milestone, stories: UserStory[]): Map<string, number> {
  const increments = new Map<string, number>();
  for (const t of state.tasks.values()) {
    if (t.milestone !== m.id || !t.finished_date || t.user_story === null) continue;
    const story = stories.find((s) => s.id === t.user_story);
    if (!story) continue;
    const share = sum(Object.values(pointsByRole(state, [story]))) / state.tasksOfStory(story.id).length;
    const day = dayOf(t.finished_date) < m.estimated_start ? m.estimated_start : dayOf(t.finished_date);
    increments.set(day, (increments.get(day) ?? 0) + share);
  }
  const out = new Map<string, number>();
  let total = 0;
  for (let day = m.estimated_start; day <= m.estimated_finish; day = nextDay(day)) {
    total += increments.get(day) ?? 0;
    out.set(day, total);
  }
  return out;
}

export function milestoneStats(ctx: Ctx): Reply {
  const { state } = ctx;
  const m = state.milestones.get(parseId(ctx));
  if (!m) throw notFoundModel('Milestone');
  if (!can(ctx, state.projects.get(m.project)!, 'view_milestones')) denied(ctx);
  const stories = state.storiesOf(m.project).filter((s) => s.milestone === m.id);
  const tasks = [...state.tasks.values()].filter((t) => t.milestone === m.id);
  const totalPoints = pointsByRole(state, stories);
  const total = sum(Object.values(totalPoints));
  const closed = closedByDay(state, m, stories);
  const spanDays = (Date.parse(m.estimated_finish) - Date.parse(m.estimated_start)) / 86_400_000;
  const perDay = spanDays ? total / spanDays : 0;
  const days: { day: string; name: number; open_points: number; optimal_points: number }[] = [];
  let optimal = total;
  for (let day = m.estimated_start; day <= m.estimated_finish; day = nextDay(day)) {
    days.push({ day, name: Number(day.slice(8, 10)), open_points: total - (closed.get(day) ?? 0), optimal_points: optimal });
    optimal -= perDay; // repeated subtraction, as taiga-back does: the last day is a float residue, not 0
  }
  const closedStories = stories.filter((s) => storyIsClosed(state, s));
  return ok({
    name: m.name, estimated_start: m.estimated_start, estimated_finish: m.estimated_finish, total_points: totalPoints,
    completed_points: Object.values(pointsByRole(state, closedStories)), total_userstories: stories.length,
    completed_userstories: closedStories.length, total_tasks: tasks.length,
    completed_tasks: tasks.filter((t) => state.choice('task_status', t.status)?.is_closed).length,
    iocaine_doses: tasks.filter((t) => t.is_iocaine).length, days,
  });
}
