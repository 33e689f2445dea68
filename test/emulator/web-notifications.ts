// Notify policies and web notifications, as taiga-back 6.7.3 keeps them
// (taiga/projects/notifications/{models,signals,mixins,services}.py): no
// recording exists, so this follows the code (see the fixtures README).
// Kept beside State rather than in it: a reset makes a new State, and so
// new, empty notifications.
import type { Ctx } from './context.js';
import type { State } from './state.js';
import type { Project } from './types.js';
import { timelineUser } from './timeline-events.js';

export interface NotifyPolicy {
  id: number;
  project: number;
  user: number;
  /** 1 involved, 2 all, 3 none (NotifyLevel). */
  notify_level: number;
  live_notify_level: number;
  web_notify_level: boolean;
}

export interface WebNotification {
  id: number;
  user: number;
  /** WebNotificationType: 1 assigned, 2 mentioned, 3 added as watcher, 4 added as member, 5 comment, 6 mentioned in comment. */
  event_type: number;
  data: Record<string, unknown>;
  created: string;
  read: string | null;
}

interface Store {
  policies: NotifyPolicy[];
  notifications: WebNotification[];
}
const stores = new WeakMap<State, Store>();

export function notificationStore(state: State): Store {
  let store = stores.get(state);
  if (!store) stores.set(state, (store = { policies: [], notifications: [] }));
  return store;
}

/**
 * The policy of a user in a project. Saving a membership creates one at "involved"
 * (projects/signals.py membership_post_save), so every member has one; a non-member has none.
 */
export function policyOf(state: State, project: number, user: number): NotifyPolicy | undefined {
  const store = notificationStore(state);
  const found = store.policies.find((p) => p.project === project && p.user === user);
  if (found || !state.membership(project, user)) return found;
  const created = { id: state.nextId('notifypolicy'), project, user, notify_level: 1, live_notify_level: 1, web_notify_level: true };
  store.policies.push(created);
  return created;
}

/** What the notified item looked like before the write (the mixins read it in pre_save/update). */
export interface Before {
  watchers: number[];
  assigned_to: number | null;
  description: string;
}
type Notified = Before & { id: number; project: number; ref: number; subject: string };
export type NotifiedKind = 'userstory' | 'task' | 'issue' | 'epic';

export const beforeWrite = (item: Before): Before => ({ watchers: [...item.watchers], assigned_to: item.assigned_to, description: item.description });

/** mdrender's MentionsPattern: `\B@[\w.-]+\b`, a username of a member of the project, outside code. */
export function mentionedMembers(state: State, project: number, text: string): number[] {
  const outsideCode = text.split(/```[\s\S]*?```/).join(' ').split(/`[^`\n]*`/).join(' ');
  const ids: number[] = [];
  for (const m of outsideCode.matchAll(/(?:^|[^\p{L}\p{N}_])@([\p{L}\p{N}_.-]+)/gu)) {
    const name = m[1]!.replace(/[.-]+$/, '');
    const user = [...state.users.values()].find((u) => u.username === name);
    if (user && state.membership(project, user.id) && !ids.includes(user.id)) ids.push(user.id);
  }
  return ids;
}

/** signals._push_to_web_notifications after _filter_recipients: members whose policy has web notifications on, never the author. */
function push(ctx: Ctx, project: Project, eventType: number, recipients: number[], obj?: { kind: NotifiedKind; item: Notified }): void {
  const author = ctx.user!;
  const data: Record<string, unknown> = { project: { id: project.id, slug: project.slug, name: project.name }, user: timelineUser(ctx.state, author.id) };
  if (obj) data['obj'] = { id: obj.item.id, ref: obj.item.ref, subject: obj.item.subject, content_type: obj.kind };
  const store = notificationStore(ctx.state);
  for (const user of new Set(recipients)) {
    if (user === author.id || !policyOf(ctx.state, project.id, user)?.web_notify_level) continue;
    store.notifications.push({ id: ctx.state.nextId('webnotification'), user, event_type: eventType, data: structuredClone(data), created: new Date().toISOString(), read: null });
  }
}

/**
 * After a create or an update of a work item: assigned (AssignedToSignalMixin), added as watcher,
 * mentioned in the description (stories, tasks and issues only), mentioned in the comment, and the
 * comment to the other watchers (WatchedResourceMixin.post_save, in that order).
 */
export function notifyItemWrite(ctx: Ctx, kind: NotifiedKind, item: Notified, body: Record<string, unknown>, before?: Before): void {
  if (!ctx.user) return;
  const project = ctx.state.projects.get(item.project)!;
  const obj = { kind, item };
  if (item.assigned_to !== null && item.assigned_to !== (before?.assigned_to ?? null)) push(ctx, project, 1, [item.assigned_to], obj);
  if (before) push(ctx, project, 3, item.watchers.filter((w) => !before.watchers.includes(w)), obj);
  if (kind !== 'epic' && typeof body['description'] === 'string') {
    const old = before ? mentionedMembers(ctx.state, project.id, before.description) : [];
    push(ctx, project, 2, mentionedMembers(ctx.state, project.id, body['description']).filter((u) => !old.includes(u)), obj);
  }
  const comment = typeof body['comment'] === 'string' ? body['comment'] : '';
  const inComment = comment ? mentionedMembers(ctx.state, project.id, comment) : [];
  push(ctx, project, 6, inComment, obj);
  if ('comment' in body) push(ctx, project, 5, item.watchers.filter((w) => !inComment.includes(w)), obj);
}

/** signal_members_added, sent by bulk_create only: the new members that are users (not e-mail invitations). */
export function notifyMembersAdded(ctx: Ctx, project: Project, users: number[]): void {
  if (ctx.user) push(ctx, project, 4, users);
}
