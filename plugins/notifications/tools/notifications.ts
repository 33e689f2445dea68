import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { Id, Page, PageSize, pageFields, PagingOutput } from '../../../core/schemas.js';
import { quote, word } from '../../../core/render/untrusted.js';
import { IDEMPOTENT_WRITE, pagingText, READ } from '../../../core/work-items/index.js';

type Raw = Record<string, unknown>;
/** WebNotificationType (taiga/projects/notifications/choices.py). */
const EVENTS: Record<number, string> = { 1: 'assigned', 2: 'mentioned', 3: 'added_as_watcher', 4: 'added_as_member', 5: 'comment', 6: 'mentioned_in_comment' };
/** ContentType model names → the kinds the other tools take. */
const KINDS: Record<string, string> = { userstory: 'user_story', task: 'task', issue: 'issue', epic: 'epic' };

const Notification = v.object({
  id: v.number(),
  event: v.string(),
  by: v.optional(v.string()),
  project: v.optional(v.string()),
  item: v.optional(v.string()),
  subject: v.optional(v.string()),
  created: v.string(),
  unread: v.optional(v.literal(true)),
});
type Lean = v.InferOutput<typeof Notification>;

function lean(n: Raw): Lean {
  const data = (n['data'] ?? {}) as Raw;
  const user = data['user'] as Raw | null | undefined;
  const project = data['project'] as Raw | null | undefined;
  const obj = data['obj'] as Raw | null | undefined;
  const kind = obj ? (KINDS[String(obj['content_type'])] ?? String(obj['content_type'])) : undefined;
  return {
    id: n['id'] as number,
    event: EVENTS[n['event_type'] as number] ?? String(n['event_type']),
    ...(user && { by: String(user['username']) }),
    ...(project && { project: String(project['slug']) }),
    ...(obj && { item: obj['ref'] === null || obj['ref'] === undefined ? `${kind} ${String(obj['id'])}` : `${kind} #${String(obj['ref'])}` }),
    ...(obj && typeof obj['subject'] === 'string' && { subject: obj['subject'] }),
    created: String(n['created']),
    ...((n['read'] === null || n['read'] === undefined) && { unread: true as const }),
  };
}

const line = (n: Lean): string =>
  [`${n.id}`, n.unread ? 'unread' : '', n.created.slice(0, 16), n.event, n.by ? `by @${word(n.by)}` : '', n.project ? word(n.project) : '', n.item ?? '', n.subject ? quote(n.subject) : ''].filter(Boolean).join(' ');

export const listNotifications = defineTool({
  name: 'list_notifications',
  title: 'List notifications',
  description: 'Your Taiga notifications (mentions, assignments, comments…), unread first.',
  input: v.strictObject({ unread_only: v.optional(v.boolean(), false), page: Page, page_size: PageSize }),
  output: v.object({ items: v.array(Notification), ...PagingOutput }),
  annotations: READ,
  async handler({ unread_only, page, page_size }, { taiga }) {
    // Taiga reads only_unread as "any value": it is sent only when wanted.
    const body = await taiga.get<{ objects?: Raw[]; total?: number }>('/web-notifications', { page, page_size, ...(unread_only && { only_unread: 'true' }) });
    const items = Array.isArray(body.objects) ? body.objects : [];
    const total = typeof body.total === 'number' ? body.total : items.length;
    return { items: items.map(lean), ...pageFields({ page, pageSize: page_size, total, hasNext: page * page_size < total }) };
  },
  render: (r) => [...r.items.map(line), pagingText(r)].join('\n'),
});

export const markNotificationsRead = defineTool({
  name: 'mark_notifications_read',
  title: 'Mark notifications read',
  description: 'Mark your notifications read: ids, or all: true.',
  input: v.strictObject({ ids: v.optional(v.pipe(v.array(Id), v.minLength(1), v.maxLength(100))), all: v.optional(v.boolean()) }),
  output: v.object({ marked: v.union([v.array(v.number()), v.literal('all')]) }),
  annotations: IDEMPOTENT_WRITE,
  async handler({ ids, all }, { taiga }) {
    if ((ids === undefined) === (all !== true)) throw new TaigaMcpError('INVALID_INPUT', { message: 'Give either ids or all: true.', details: { fields: { ids: 'ids or all is required (not both)' } } });
    if (all) {
      await taiga.post('/web-notifications/set-as-read', {});
      return { marked: 'all' as const };
    }
    // Taiga marks any id it is sent, whoever it belongs to: only the caller's unread ones are sent.
    const unread = await taiga.request<Raw[]>({ method: 'GET', path: '/web-notifications', query: { only_unread: 'true' }, headers: { 'x-disable-pagination': 'True' } });
    const mine = new Set((Array.isArray(unread.body) ? unread.body : []).map((n) => n['id']));
    const wanted = [...new Set(ids)];
    const others = wanted.filter((id) => !mine.has(id));
    if (others.length > 0) {
      throw new TaigaMcpError('INVALID_INPUT', { message: `ids: ${others.slice(0, 10).join(', ')} ${others.length === 1 ? 'is not an unread notification' : 'are not unread notifications'} of yours.`, details: { fields: { ids: 'not your unread notification' } }, hint: 'list_notifications gives the ids.' });
    }
    for (const id of wanted) await taiga.patch(`/web-notifications/${id}/set-as-read`, {});
    return { marked: wanted };
  },
  render: (r) => (r.marked === 'all' ? 'Marked every notification read.' : `Marked read: ${r.marked.join(', ')}.`),
});
