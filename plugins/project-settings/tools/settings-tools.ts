import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import type { ToolContext } from '../../../core/plugin/types.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { IdOrName, ProjectRef } from '../../../core/schemas.js';
import { quote } from '../../../core/render/untrusted.js';
import { quoteShort } from '../../../core/confirm/question.js';
import { DESTRUCTIVE, READ, WRITE } from '../../../core/work-items/index.js';
import { bodyOf, checkOptions, checkProps, KindEntries, PropEntries, reorder, SettingName, SettingOutput, settingKind, settingNamed, settingsOf, settingText, SPECS, toSetting, type Setting, type SettingKind, type Spec } from '../settings.js';

type Raw = Record<string, unknown>;
const Where = { project_id: ProjectRef, ...KindEntries };

const refused = (field: string, problem: string, extra: Raw = {}) =>
  new TaigaMcpError('INVALID_INPUT', { message: `${field}: ${problem}.`, details: { fields: { [field]: problem }, ...extra } });

async function scope(ctx: ToolContext, args: { project_id: number | string; kind: string; of?: string | undefined }) {
  const kind = settingKind(args);
  const project = await ctx.resolve.projectId(args.project_id);
  return { kind, project, spec: SPECS[kind] as Spec, settings: await settingsOf(ctx, kind, project) };
}

/** Statuses, points and the rest are names the other tools resolve: forget the project's cached ones. */
const changed = (ctx: ToolContext, project: number, what: string) => {
  ctx.resolve.invalidate(project);
  ctx.audit.object = what;
};

export const listProjectSettings = defineTool({
  name: 'list_project_settings',
  title: 'List project settings',
  description: 'In order. kind: status, points, priority, severity, issue_type, tag, field; of (status, field): user_story, task, issue, epic.',
  input: v.strictObject(Where),
  output: v.object({ items: v.array(SettingOutput) }),
  annotations: READ,
  async handler(args, ctx) {
    return { items: (await scope(ctx, args)).settings };
  },
  render: (r) => r.items.map(settingText).join('\n') || '(none)',
});

type SetArgs = { setting?: number | string | undefined; name?: string | undefined; position?: number | undefined } & Raw;

async function create(ctx: ToolContext, kind: SettingKind, project: number, spec: Spec, settings: Setting[], args: SetArgs): Promise<Setting> {
  checkProps(kind, args);
  const name = args.name;
  if (name === undefined) throw refused('name', 'needed to create a setting');
  if (settings.some((s) => s.name.toLowerCase() === name.toLowerCase())) throw refused('name', 'already exists', { valid_values: settings.map((s) => s.name) });
  if (spec.family === 'tag') {
    if (args.position !== undefined) throw refused('position', 'tags have no order');
    await ctx.taiga.post(`/projects/${project}/create_tag`, { tag: name, ...(args['color'] !== undefined && { color: args['color'] }) });
    return { name: name.toLowerCase(), ...(typeof args['color'] === 'string' && { color: args['color'] }) };
  }
  const created = toSetting(await ctx.taiga.post<Raw>(spec.path, { project, name, ...(spec.family === 'field' && { type: args['type'] ?? 'text' }), ...bodyOf(args) }));
  if (args.position !== undefined) created.order = await reorder(ctx, kind, project, [...settings, created], created, args.position);
  return created;
}

async function update(ctx: ToolContext, kind: SettingKind, project: number, spec: Spec, settings: Setting[], args: SetArgs & { setting: number | string }): Promise<Setting> {
  // A field's type is chosen when it is made: Taiga keeps it.
  checkProps(kind, args, SPECS[kind].props.filter((p) => p !== 'type'));
  const current = settingNamed(settings, kind, args.setting, 'setting');
  checkOptions(args['options'], current.type);
  const rename = args.name !== undefined && args.name !== current.name ? args.name : undefined;
  if (rename !== undefined && settings.some((s) => s !== current && s.name.toLowerCase() === rename.toLowerCase())) throw refused('name', 'another setting has this name');
  if (spec.family === 'tag') {
    if (args.position !== undefined) throw refused('position', 'tags have no order');
    const color = (args['color'] as string | undefined) ?? current.color;
    await ctx.taiga.post(`/projects/${project}/edit_tag`, { from_tag: current.name, ...(rename !== undefined && { to_tag: rename }), ...(args['color'] !== undefined && { color: args['color'] }) });
    return { name: rename?.toLowerCase() ?? current.name, ...(color && { color }) };
  }
  const body = { ...bodyOf(args), ...(rename !== undefined && { name: rename }) };
  const updated = Object.keys(body).length ? toSetting(await ctx.taiga.patch<Raw>(`${spec.path}/${current.id}`, body)) : current;
  return args.position === undefined ? updated : { ...updated, order: await reorder(ctx, kind, project, settings, current, args.position) };
}

export const setProjectSetting = defineTool({
  name: 'set_project_setting',
  title: 'Create or change a project setting',
  description: 'Admins. Creates one, or with setting (id or name) changes name, colour, position (1 = first)….',
  input: v.strictObject({ ...Where, setting: v.optional(IdOrName), name: v.optional(SettingName), ...PropEntries, position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))) }),
  output: SettingOutput,
  annotations: WRITE,
  async handler(args, ctx) {
    const { kind, project, spec, settings } = await scope(ctx, args);
    const setting = args.setting === undefined ? await create(ctx, kind, project, spec, settings, args) : await update(ctx, kind, project, spec, settings, { ...args, setting: args.setting });
    changed(ctx, project, `${kind} ${setting.id ?? setting.name}`);
    return setting;
  },
  render: settingText,
});

export const deleteProjectSetting = defineTool({
  name: 'delete_project_setting',
  title: 'Delete a project setting',
  description: 'Admins. move_to takes its place (tags: merged into it; fields: none).',
  input: v.strictObject({ ...Where, setting: IdOrName, move_to: v.optional(IdOrName) }),
  output: v.object({ deleted: v.string(), moved_to: v.optional(v.string()) }),
  annotations: DESTRUCTIVE,
  confirmation: 'handler',
  async handler(args, ctx) {
    const { kind, project, spec, settings } = await scope(ctx, args);
    const gone = settingNamed(settings, kind, args.setting, 'setting');
    const target = args.move_to === undefined ? undefined : settingNamed(settings, kind, args.move_to, 'move_to');
    if (target === gone) throw refused('move_to', 'must be another one');
    if (spec.family === 'choice' && target === undefined) throw refused('move_to', 'required', { valid_values: settings.filter((s) => s !== gone).map((s) => s.name) });
    if (spec.family === 'field' && target !== undefined) throw refused('move_to', 'not for custom fields');
    const slug = (await ctx.resolve.project(project)).slug;
    const fate = target ? `What has it gets ${quoteShort(target.name)} instead.` : spec.family === 'tag' ? 'It is removed from every item that has it.' : 'Every item loses its value of this field.';
    await ctx.confirm({ message: `Delete ${kind.replace(/_/g, ' ')} ${quoteShort(gone.name)} of ${slug}? ${fate}`, version: [kind, gone.id ?? gone.name, target?.id ?? target?.name ?? null] });
    if (spec.family === 'tag') {
      if (target) await ctx.taiga.post(`/projects/${project}/mix_tags`, { from_tags: [gone.name], to_tag: target.name });
      else await ctx.taiga.post(`/projects/${project}/delete_tag`, { tag: gone.name });
    } else {
      await ctx.taiga.delete(`${spec.path}/${gone.id}`, target ? { moveTo: String(target.id) } : undefined);
    }
    changed(ctx, project, `${kind} ${gone.id ?? gone.name}`);
    return { deleted: gone.name, ...(target && { moved_to: target.name }) };
  },
  render: (r) => `deleted ${quote(r.deleted)}${r.moved_to ? `; what used it now has ${quote(r.moved_to)}` : ''}`,
});
