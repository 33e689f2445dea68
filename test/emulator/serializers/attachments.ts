// Attachment serializers (§9.13): the full item, with absolute URLs on the
// emulator's own media server, and the short form of `include_attachments`.
import type { Ctx } from '../context.js';
import type { AttachableKind, Attachment } from '../types.js';

const REFRESH_NAMES: Record<AttachableKind, string> = { userstory: 'userstory', task: 'task', issue: 'issue', epic: 'epic', wiki: 'wikipage' };

/** Where GET serves the bytes: /media/<attached_file> next to /api/v1, or under the MEDIA_URL set for the test. */
export function mediaUrl(ctx: Ctx, a: Attachment): string {
  return `${ctx.mediaUrl ?? `${ctx.apiUrl.replace(/\/api\/v1$/, '')}/media/`}${a.path}`;
}

export function attachmentOut(ctx: Ctx, a: Attachment) {
  const url = `${mediaUrl(ctx, a)}#_taiga-refresh=${REFRESH_NAMES[a.kind]}:${a.id}`;
  return {
    id: a.id, project: a.project, owner: a.owner, name: a.name, attached_file: a.path, size: a.size, url, description: a.description,
    is_deprecated: a.is_deprecated, from_comment: a.from_comment, created_date: a.created_date, modified_date: a.modified_date,
    object_id: a.object_id, order: a.order, sha1: a.sha1, thumbnail_card_url: null, preview_url: url,
  };
}

/** `?include_attachments`: the object's current (not deprecated) attachments, briefly. */
export function includedAttachments(ctx: Ctx, kind: AttachableKind, objectId: number) {
  if (ctx.query['include_attachments'] === undefined) return [];
  return ctx.state.attachmentsOf(kind, objectId)
    .filter((a) => !a.is_deprecated)
    .map((a) => ({ id: a.id, attached_file: a.path, thumbnail_card_url: null }));
}
