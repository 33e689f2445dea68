// Task serializers: list item (37 keys), full (create/update, +5) and the
// retrieve/by_ref detail (+ neighbors).
import type { Ctx } from '../context.js';
import type { Task } from '../types.js';
import { dueDateFields, generatedStories, html, isClosedStatus, itemHead, neighbors } from './items.js';
import { epicsOfStory } from './stories.js';

export function taskListItem(ctx: Ctx, t: Task) {
  const { state } = ctx;
  const closed = isClosedStatus(state, 'task_status', t.status);
  const story = t.user_story ? state.stories.get(t.user_story) : undefined;
  return {
    ...dueDateFields(t, closed), total_comments: state.history.totalComments('task', t.id), ...itemHead(ctx, t, 'task_status'),
    id: t.id, user_story: t.user_story, ref: t.ref, milestone: t.milestone,
    milestone_slug: t.milestone ? (state.milestones.get(t.milestone)?.slug ?? null) : null,
    created_date: t.created_date, modified_date: t.modified_date, finished_date: t.finished_date, subject: t.subject,
    us_order: t.us_order, taskboard_order: t.taskboard_order, is_iocaine: t.is_iocaine, external_reference: t.external_reference,
    version: t.version, watchers: t.watchers, is_blocked: t.is_blocked, blocked_note: t.blocked_note, is_closed: closed,
    user_story_extra_info: story ? { id: story.id, ref: story.ref, subject: story.subject, epics: epicsOfStory(state, story.id) } : null,
  };
}

export function taskFull(ctx: Ctx, t: Task) {
  return {
    ...taskListItem(ctx, t), comment: '', generated_user_stories: generatedStories(ctx.state, (s) => s.generated_from_task === t.id),
    blocked_note_html: html(t.blocked_note), description: t.description, description_html: html(t.description),
  };
}

/** Default order of /tasks: project, created_date, ref. */
export function taskOrder(a: Task, b: Task): number {
  return a.project - b.project || a.created_date.localeCompare(b.created_date) || a.ref - b.ref;
}

export function taskDetail(ctx: Ctx, t: Task) {
  const siblings = [...ctx.state.tasks.values()].filter((x) => x.project === t.project).sort(taskOrder);
  return { ...taskFull(ctx, t), neighbors: neighbors(siblings, t) };
}
