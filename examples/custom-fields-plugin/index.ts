/**
 * Example third-party plugin: ACME's time tracking. ACME keeps the hours spent on a task in a number
 * custom field; agents log time with a comment, and sum it per sprint. It uses only the public plugin
 * API (`taiga-mcp`): tools, a kind's item lookup and version rules, plugin options, untrusted text.
 * Copy this folder to start your own plugin; see the README's plugin guide.
 */
import * as v from 'valibot';
import { definePlugin, defineTool, IdOrName, ProjectRef, quote, TaigaMcpError, Text, Version, loadItem, type ToolContext } from '../../core/index.js';

type Raw = Record<string, unknown>;

/** `plugins.options["acme-time"]`: which custom field holds the hours (validated at start-up). */
const Options = v.strictObject({ field: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64)), 'Time spent (h)') });
const TASKS = { name: 'task', label: 'task', endpoint: '/tasks' };

async function hoursField(ctx: ToolContext, project: number): Promise<{ id: string; name: string }> {
  const name = (ctx.options as v.InferOutput<typeof Options>).field;
  const { items } = await ctx.taiga.all<Raw>('/task-custom-attributes', { project });
  const field = items.find((a) => String(a['name']).toLowerCase() === name.toLowerCase());
  if (!field || field['type'] !== 'number') throw new TaigaMcpError('INVALID_INPUT', { message: `Project ${project} has no number custom field "${name}" on tasks.`, hint: 'A project admin adds it, or the operator names another in plugins.options["acme-time"].field.' });
  return { id: String(field['id']), name: String(field['name']) };
}

const logTime = defineTool({
  name: 'acme_log_time',
  title: 'Log time on a task',
  description: 'Add hours spent to a task, with a comment saying what was done.',
  input: v.strictObject({ task_id: IdOrName, project_id: v.optional(ProjectRef), hours: v.pipe(v.number(), v.minValue(0.25), v.maxValue(24)), note: Text(2000), version: v.optional(Version) }),
  output: v.object({ task: v.number(), total_hours: v.number(), version: v.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ task_id, project_id, hours, note, version }, ctx) {
    const task = await loadItem(ctx, TASKS, task_id, project_id);
    const field = await hoursField(ctx, task['project'] as number);
    const path = `/tasks/custom-attributes-values/${String(task['id'])}`;
    const values = await ctx.taiga.get<{ attributes_values: Raw; version: number }>(path);
    // Taiga never reports a stale version of custom values, so a given one is checked here.
    if (version !== undefined && version !== values.version) throw new TaigaMcpError('VERSION_CONFLICT', { details: { current_version: values.version, your_version: version } });
    const total = Number(values.attributes_values[field.id] ?? 0) + hours;
    const saved = await ctx.taiga.patch<{ version: number }>(path, { attributes_values: { ...values.attributes_values, [field.id]: total }, version: values.version });
    await ctx.taiga.patch(`/tasks/${String(task['id'])}`, { comment: `Logged ${hours} h: ${note}`, version: task['version'] });
    return { task: task['ref'] as number, total_hours: total, version: saved.version };
  },
  render: (r) => `Task #${r.task}: ${r.total_hours} h in all (values v${r.version}).`,
});

const timeReport = defineTool({
  name: 'acme_time_report',
  title: 'Time spent per task',
  description: 'Hours logged on the tasks of a user story or a sprint, per task and in all.',
  input: v.strictObject({ project_id: ProjectRef, sprint: v.optional(IdOrName), user_story: v.optional(IdOrName) }),
  output: v.object({ tasks: v.array(v.object({ ref: v.number(), subject: v.string(), hours: v.number() })), total_hours: v.number() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ project_id, sprint, user_story }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const field = await hoursField(ctx, project);
    const query: Raw = { project };
    if (sprint !== undefined) query['milestone'] = await ctx.resolve.sprint(project, sprint);
    if (user_story !== undefined) query['user_story'] = (await loadItem(ctx, { name: 'user_story', label: 'user story', endpoint: '/userstories' }, user_story, project, 'user_story'))['id'];
    const { items } = await ctx.taiga.all<Raw>('/tasks', query as Record<string, number>);
    const tasks = await Promise.all(items.map(async (t) => {
      const values = await ctx.taiga.get<{ attributes_values: Raw }>(`/tasks/custom-attributes-values/${String(t['id'])}`);
      return { ref: t['ref'] as number, subject: String(t['subject']), hours: Number(values.attributes_values[field.id] ?? 0) };
    }));
    return { tasks, total_hours: tasks.reduce((a, t) => a + t.hours, 0) };
  },
  render: (r) => [...r.tasks.map((t) => `#${t.ref} ${quote(t.subject)} ${t.hours} h`), `${r.total_hours} h in all`].join('\n'),
});

export default definePlugin({
  name: 'acme-time',
  version: '1.0.0',
  core: '^1.1.0',
  description: 'ACME: hours spent on tasks, kept in a number custom field.',
  dependencies: ['tasks'],
  toolset: { id: 'acme_time', description: 'ACME time tracking', default: false },
  options: Options,
  tools: [logTime, timeReport],
});
