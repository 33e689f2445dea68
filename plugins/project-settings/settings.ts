import * as v from 'valibot';
import { TaigaMcpError } from '../../core/errors.js';
import type { ToolContext } from '../../core/plugin/types.js';
import { quote } from '../../core/render/untrusted.js';

type Raw = Record<string, unknown>;

/**
 * The settings a project admin changes, each a kind: the project's choice values (statuses of each
 * item, points, priorities, severities, issue types), its tag colours, and the definitions of its
 * custom fields. Which of a setting's properties a kind has, and its Taiga routes (taiga-api.md §9.11,
 * §9.12; tags: taiga-back's projects/tagging).
 */
interface ChoiceSpec { family: 'choice'; path: string; bulk: string; props: readonly Prop[] }
interface FieldSpec { family: 'field'; path: string; bulk: string; props: readonly Prop[] }
interface TagSpec { family: 'tag'; props: readonly Prop[] }
export type Spec = ChoiceSpec | FieldSpec | TagSpec;
export type Prop = 'color' | 'closed' | 'value' | 'type' | 'options';

const status = (route: string): ChoiceSpec => ({ family: 'choice', path: `/${route}-statuses`, bulk: `bulk_${route}_statuses`, props: ['color', 'closed'] });
const field = (route: string): FieldSpec => ({ family: 'field', path: `/${route}-custom-attributes`, bulk: `bulk_${route}_custom_attributes`, props: ['type', 'options'] });

export const SPECS = {
  user_story_status: status('userstory'),
  task_status: status('task'),
  issue_status: status('issue'),
  epic_status: status('epic'),
  points: { family: 'choice', path: '/points', bulk: 'bulk_points', props: ['value'] },
  priority: { family: 'choice', path: '/priorities', bulk: 'bulk_priorities', props: ['color'] },
  severity: { family: 'choice', path: '/severities', bulk: 'bulk_severities', props: ['color'] },
  issue_type: { family: 'choice', path: '/issue-types', bulk: 'bulk_issue_types', props: ['color'] },
  tag: { family: 'tag', props: ['color'] },
  user_story_field: field('userstory'),
  task_field: field('task'),
  issue_field: field('issue'),
  epic_field: field('epic'),
} satisfies Record<string, Spec>;
export type SettingKind = keyof typeof SPECS;

const KINDS = ['status', 'points', 'priority', 'severity', 'issue_type', 'tag', 'field'];
const OWNERS = ['user_story', 'task', 'issue', 'epic'];

/**
 * As the tools take it: `kind`, and for statuses and custom fields `of` (which items'). Plain strings
 * checked here, their values said once in list_project_settings' description: three tools would
 * otherwise pay for both enums in every tool list.
 */
export const KindEntries = {
  kind: v.pipe(v.string(), v.maxLength(20)),
  of: v.optional(v.pipe(v.string(), v.maxLength(20))),
};

/** The setting kind that `kind` and `of` name; `of` is needed exactly for statuses and custom fields. */
export function settingKind(args: { kind: string; of?: string | undefined }): SettingKind {
  if (!KINDS.includes(args.kind)) throw invalid({ kind: 'not a kind of setting' }, { valid_values: KINDS });
  if (args.of !== undefined && !OWNERS.includes(args.of)) throw invalid({ of: 'not a kind of item' }, { valid_values: OWNERS });
  const per = args.kind === 'status' || args.kind === 'field';
  if (per && args.of === undefined) throw invalid({ of: `needed with kind ${args.kind}: user_story, task, issue or epic` });
  if (!per && args.of !== undefined) throw invalid({ of: `only with kind status or field` });
  return (per ? `${args.of}_${args.kind}` : args.kind) as SettingKind;
}

/** One setting as the tools show it; absent means null, false or empty. */
export interface Setting { id?: number; name: string; order?: number; color?: string; closed?: boolean; value?: number; wip_limit?: number; type?: string; description?: string; options?: string[] }

export const SettingOutput = v.object({
  id: v.optional(v.number()),
  name: v.string(),
  order: v.optional(v.number()),
  color: v.optional(v.string()),
  closed: v.optional(v.boolean()),
  value: v.optional(v.number()),
  wip_limit: v.optional(v.number()),
  type: v.optional(v.string()),
  description: v.optional(v.string()),
  options: v.optional(v.array(v.string())),
});

export const Color = v.pipe(v.string(), v.maxLength(7), v.regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour #RRGGBB'));
export const FIELD_TYPES = ['text', 'multiline', 'richtext', 'date', 'url', 'dropdown', 'checkbox', 'number'] as const;

/** The properties a create or update may set, each optional; which ones a kind takes is checked by `checkProps`. */
export const PropEntries = {
  color: v.optional(Color),
  closed: v.optional(v.boolean()),
  value: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1_000_000))),
  // Checked by checkProps (its values listed in the refusal) rather than advertised: every tool list pays for an enum.
  type: v.optional(v.pipe(v.string(), v.maxLength(20))),
  options: v.optional(v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))), v.minLength(1), v.maxLength(100))),
};
export const SettingName = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));

const invalid = (fields: Record<string, string>, extra: Raw = {}) =>
  new TaigaMcpError('INVALID_INPUT', { message: `Invalid field: ${Object.keys(fields).join(', ')}.`, details: { fields, ...extra } });

/** A property the kind does not have is refused, naming the ones it has, before Taiga sees anything. */
export function checkProps(kind: SettingKind, args: Raw, only?: readonly Prop[]): void {
  const allowed: readonly Prop[] = only ?? SPECS[kind].props;
  const wrong = (Object.keys(PropEntries) as Prop[]).filter((p) => args[p] !== undefined && !allowed.includes(p));
  if (wrong.length) throw invalid(Object.fromEntries(wrong.map((p) => [p, `not a property of ${kind} (it has: ${allowed.join(', ') || 'only a name'})`])));
  if (args['type'] !== undefined && !(FIELD_TYPES as readonly unknown[]).includes(args['type'])) throw invalid({ type: 'not a custom field type' }, { valid_values: [...FIELD_TYPES] });
  if (allowed.includes('type')) checkOptions(args['options'], args['type']);
}

/** Options are a dropdown's: `type` is the one being created, or the field's own on an update. */
export function checkOptions(options: unknown, type: unknown): void {
  if (options !== undefined && type !== 'dropdown') throw invalid({ options: 'only for type "dropdown"' });
}

const toSetting = (raw: Raw): Setting => {
  const out: Setting = { id: raw['id'] as number, name: String(raw['name']) };
  if (typeof raw['order'] === 'number') out.order = raw['order'];
  if (typeof raw['color'] === 'string' && raw['color']) out.color = raw['color'];
  if (raw['is_closed'] === true) out.closed = true;
  if (typeof raw['value'] === 'number') out.value = raw['value'];
  if (typeof raw['wip_limit'] === 'number') out.wip_limit = raw['wip_limit'];
  if (typeof raw['type'] === 'string') out.type = raw['type'];
  if (typeof raw['description'] === 'string' && raw['description']) out.description = raw['description'];
  if (Array.isArray(raw['extra']) && raw['extra'].length) out.options = (raw['extra'] as unknown[]).map(String);
  return out;
};

/** A kind's settings in the project, in Taiga's order (tags: by name). */
export async function settingsOf(ctx: ToolContext, kind: SettingKind, project: number): Promise<Setting[]> {
  const spec: Spec = SPECS[kind];
  if (spec.family === 'tag') {
    const colors = await ctx.taiga.get<Record<string, string | null>>(`/projects/${project}/tags_colors`);
    return Object.keys(colors).sort().map((name) => ({ name, ...(colors[name] && { color: colors[name] }) }));
  }
  const { items } = await ctx.taiga.all<Raw>(spec.path, { project });
  return items.map(toSetting).sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || (a.id ?? 0) - (b.id ?? 0));
}

export { toSetting };

/** A setting by id or name (case-insensitive); a miss lists the names. */
export function settingNamed(settings: Setting[], kind: SettingKind, value: number | string, field: string): Setting {
  const wanted = String(value).trim().toLowerCase();
  const found = settings.find((s) => (typeof value === 'number' ? s.id === value : s.name.toLowerCase() === wanted));
  if (found) return found;
  throw invalid({ [field]: `no ${kind} ${typeof value === 'number' ? value : quote(String(value).slice(0, 80))} in this project` }, { valid_values: settings.map((s) => s.name) });
}

/** Taiga's body for a setting's properties (names as Taiga has them). */
export function bodyOf(args: Raw): Raw {
  const body: Raw = {};
  if (args['color'] !== undefined) body['color'] = args['color'];
  if (args['closed'] !== undefined) body['is_closed'] = args['closed'];
  if (args['value'] !== undefined) body['value'] = args['value'];
  if (args['type'] !== undefined) body['type'] = args['type'];
  if (args['options'] !== undefined) body['extra'] = args['options'];
  return body;
}

/**
 * Moves one setting to `position` (1 = first) and renumbers the kind's orders 1…n, as Taiga's admin
 * pages do, in one bulk_update_order. Taiga's orders may tie or jump; after this they do not.
 */
export async function reorder(ctx: ToolContext, kind: SettingKind, project: number, settings: Setting[], moved: Setting, position: number): Promise<number> {
  const spec: Spec = SPECS[kind];
  if (spec.family === 'tag') throw invalid({ position: 'tags have no order' });
  const rest = settings.filter((s) => s.id !== moved.id);
  const index = Math.min(position, settings.length) - 1;
  const ordered = [...rest.slice(0, index), moved, ...rest.slice(index)];
  await ctx.taiga.post(`${spec.path}/bulk_update_order`, { project, [spec.bulk]: ordered.map((s, i) => [s.id, i + 1]) });
  return index + 1;
}

export function settingText(s: Setting): string {
  return [
    s.id !== undefined ? `id=${s.id}` : '',
    quote(s.name),
    s.order !== undefined ? `order:${s.order}` : '',
    s.color ? `color:${s.color}` : '',
    s.closed ? 'closed' : '',
    s.value !== undefined ? `value:${s.value}` : '',
    s.wip_limit !== undefined ? `wip:${s.wip_limit}` : '',
    s.type ? `type:${s.type}` : '',
    s.options ? `options:[${s.options.map(quote).join(',')}]` : '',
    s.description ? quote(s.description) : '',
  ].filter(Boolean).join(' ');
}
