import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { TaigaMcpError } from '../../../core/errors.js';
import { Email, ProjectRef } from '../../../core/schemas.js';
import { word } from '../../../core/render/untrusted.js';
import { IDEMPOTENT_WRITE } from '../../../core/work-items/index.js';

export const resendInvitation = defineTool({
  name: 'resend_invitation',
  title: 'Resend invitation',
  description: 'Send a pending invitation e-mail again.',
  toolset: 'people',
  input: v.strictObject({ project_id: ProjectRef, email: Email }),
  output: v.object({ status: v.literal('resent'), membership_id: v.number(), email: v.string() }),
  annotations: IDEMPOTENT_WRITE,
  async handler({ project_id, email }, { taiga, resolve }) {
    const project = await resolve.projectId(project_id);
    const { items } = await taiga.all<{ id: number; user: number | null; email?: string | null }>('/memberships', { project });
    const pending = items.filter((m) => m.user === null && typeof m.email === 'string');
    const invitation = pending.find((m) => m.email!.toLowerCase() === email.toLowerCase());
    if (!invitation) {
      throw new TaigaMcpError('INVALID_INPUT', {
        message: `email: no pending invitation to ${word(email)} in project ${project}.`,
        details: { fields: { email: 'no pending invitation' }, valid_values: pending.map((m) => m.email!).slice(0, 50) },
      });
    }
    await taiga.post(`/memberships/${invitation.id}/resend_invitation`, {});
    return { status: 'resent' as const, membership_id: invitation.id, email: invitation.email! };
  },
  render: (r) => `Resent the invitation to ${word(r.email)} (membership ${r.membership_id}).`,
});
