import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { ProjectRef } from '../../../core/schemas.js';
import { word } from '../../../core/render/untrusted.js';
import { IDEMPOTENT_WRITE } from '../../../core/work-items/index.js';

/** NotifyLevel (taiga/projects/notifications/choices.py). */
const LEVELS = { involved: 1, all: 2, none: 3 } as const;
type Level = keyof typeof LEVELS;
const levelName = (n: unknown): Level => (Object.keys(LEVELS) as Level[]).find((k) => LEVELS[k] === n) ?? 'involved';
type Policy = { id: number; project: number; notify_level: number; web_notify_level: boolean };

export const setNotifyLevel = defineTool({
  name: 'set_notify_level',
  title: 'Set notify level',
  description: 'Your e-mail notifications for a project: involved, all or none; web: in-app ones on/off.',
  input: v.strictObject({ project_id: ProjectRef, level: v.optional(v.picklist(['involved', 'all', 'none'])), web: v.optional(v.boolean()) }),
  output: v.object({ project: v.string(), level: v.picklist(['involved', 'all', 'none']), web: v.boolean() }),
  annotations: IDEMPOTENT_WRITE,
  async handler({ project_id, level, web }, { taiga, resolve }) {
    if (level === undefined && web === undefined) throw new TaigaMcpError('INVALID_INPUT', { message: 'Nothing to change: give level and/or web.', details: { fields: { level: 'level or web is required' } } });
    const project = await resolve.projectId(project_id);
    const { slug } = await resolve.project(project);
    const { items } = await taiga.all<Policy>('/notify-policies', {});
    const policy = items.find((p) => p.project === project);
    if (!policy) throw new TaigaMcpError('NOT_FOUND', { message: `You have no notification settings in project ${slug}: only members have them.` });
    const saved = await taiga.patch<Policy>(`/notify-policies/${policy.id}`, { ...(level !== undefined && { notify_level: LEVELS[level] }), ...(web !== undefined && { web_notify_level: web }) });
    return { project: slug, level: levelName(saved.notify_level), web: saved.web_notify_level };
  },
  render: (r) => `Notifications in ${word(r.project)}: ${r.level}, web ${r.web ? 'on' : 'off'}.`,
});
