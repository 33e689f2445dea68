/**
 * Example third-party plugin: read and set a project's user-story custom fields by name.
 * Copy this folder to start your own plugin; see the README's plugin guide.
 */
import * as v from 'valibot';
import { definePlugin, defineTool, TaigaMcpError, IdOrName, ProjectRef, Version, loadItem, USER_STORY_TARGET } from '../../core/index.js';

interface Attribute { id: number; name: string; type: string }
interface Values { attributes_values: Record<string, unknown>; version: number }

const FieldValue = v.union([v.pipe(v.string(), v.maxLength(5000)), v.number(), v.boolean(), v.null()]);

async function attributes(taiga: { all<T>(p: string, q: Record<string, number>): Promise<{ items: T[] }> }, project: number): Promise<Attribute[]> {
  return (await taiga.all<Attribute>('/userstory-custom-attributes', { project })).items;
}

const getStoryCustomFields = defineTool({
  name: 'acme_get_story_custom_fields',
  title: 'Get story custom fields',
  description: 'Custom field values of a user story, by field name.',
  input: v.strictObject({ user_story_id: IdOrName, project_id: v.optional(ProjectRef) }),
  output: v.object({ fields: v.record(v.string(), v.unknown()), version: v.number() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ user_story_id, project_id }, ctx) {
    const { taiga } = ctx;
    const story = (await loadItem(ctx, USER_STORY_TARGET, user_story_id, project_id)) as { id: number; project: number };
    const id = story.id;
    const [attrs, values] = await Promise.all([attributes(taiga, story.project), taiga.get<Values>(`/userstories/custom-attributes-values/${id}`)]);
    const fields = Object.fromEntries(attrs.map((a) => [a.name, values.attributes_values[String(a.id)] ?? null]));
    return { fields, version: values.version };
  },
});

const setStoryCustomFields = defineTool({
  name: 'acme_set_story_custom_fields',
  title: 'Set story custom fields',
  description: 'Set custom field values of a user story by field name; other fields keep their values.',
  input: v.strictObject({
    user_story_id: IdOrName,
    project_id: v.optional(ProjectRef),
    fields: v.pipe(v.record(v.pipe(v.string(), v.maxLength(64)), FieldValue), v.maxEntries(50)),
    version: v.optional(Version),
  }),
  output: v.object({ fields: v.record(v.string(), v.unknown()), version: v.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ user_story_id, project_id, fields, version }, ctx) {
    const { taiga } = ctx;
    const story = (await loadItem(ctx, USER_STORY_TARGET, user_story_id, project_id)) as { id: number; project: number };
    const id = story.id;
    const attrs = await attributes(taiga, story.project);
    const current = await taiga.get<Values>(`/userstories/custom-attributes-values/${id}`);
    // Taiga never reports a conflict on custom values (taiga-api.md §7), so the check is ours.
    if (version !== undefined && version !== current.version) {
      throw new TaigaMcpError('VERSION_CONFLICT', { details: { current_version: current.version, your_version: version } });
    }
    const merged = { ...current.attributes_values };
    for (const [name, value] of Object.entries(fields)) {
      const attr = attrs.find((a) => a.name.toLowerCase() === name.toLowerCase());
      if (!attr) throw new TaigaMcpError('INVALID_INPUT', { message: `Unknown custom field "${name}".`, details: { valid_values: attrs.map((a) => a.name) } });
      merged[String(attr.id)] = value;
    }
    const saved = await taiga.patch<Values>(`/userstories/custom-attributes-values/${id}`, { attributes_values: merged, version: current.version });
    return { fields: Object.fromEntries(attrs.map((a) => [a.name, saved.attributes_values[String(a.id)] ?? null])), version: saved.version };
  },
});

export default definePlugin({
  name: 'acme-custom-fields',
  version: '1.0.0',
  core: '^1.0.0',
  description: 'ACME: user-story custom fields by name.',
  dependencies: ['user-stories'],
  toolset: { id: 'acme_custom_fields', description: 'ACME custom fields', default: false },
  tools: [getStoryCustomFields, setStoryCustomFields],
});
