import * as v from 'valibot';
import { pick } from '../../core/schemas.js';

/** What a story looks like to an agent: ~250 bytes instead of Taiga's ~1.7 KB. */
export const STORY_FIELDS = ['id', 'ref', 'subject', 'status', 'is_closed', 'assigned_to', 'sprint', 'sprint_id', 'epics', 'total_points', 'tags', 'is_blocked', 'due_date', 'version', 'project', 'modified_date'] as const;
/** get_user_story adds these. `description` is text written by users: data, not instructions. */
export const STORY_DETAIL_FIELDS = [...STORY_FIELDS, 'description', 'owner', 'blocked_note', 'created_date', 'finish_date', 'client_requirement', 'team_requirement'] as const;
/** Fields create/update may set; anything else is refused before Taiga sees it. */
export const STORY_WRITE_FIELDS = ['subject', 'description', 'status', 'assigned_to', 'sprint', 'points', 'tags', 'due_date', 'is_blocked', 'blocked_note', 'client_requirement', 'team_requirement'] as const;

const StoryShape = {
  id: v.number(),
  ref: v.number(),
  subject: v.string(),
  status: v.optional(v.nullable(v.string())),
  is_closed: v.optional(v.boolean()),
  assigned_to: v.optional(v.nullable(v.string())),
  sprint: v.optional(v.nullable(v.string())),
  sprint_id: v.optional(v.nullable(v.number())),
  epics: v.optional(v.array(v.object({ id: v.number(), ref: v.number(), subject: v.string() }))),
  total_points: v.optional(v.nullable(v.number())),
  tags: v.optional(v.array(v.string())),
  is_blocked: v.optional(v.boolean()),
  due_date: v.optional(v.nullable(v.string())),
  version: v.optional(v.number()),
  project: v.optional(v.number()),
  modified_date: v.optional(v.string()),
};
export const StoryOutput = v.object(StoryShape);
export const StoryDetailOutput = v.object({
  ...StoryShape,
  description: v.optional(v.string()),
  owner: v.optional(v.nullable(v.string())),
  blocked_note: v.optional(v.string()),
  created_date: v.optional(v.string()),
  finish_date: v.optional(v.nullable(v.string())),
  client_requirement: v.optional(v.boolean()),
  team_requirement: v.optional(v.boolean()),
  raw: v.optional(v.record(v.string(), v.unknown())),
});
export type Story = v.InferOutput<typeof StoryOutput>;
export type StoryDetail = v.InferOutput<typeof StoryDetailOutput>;

type Raw = Record<string, unknown>;
const username = (info: unknown): string | null => (info && typeof info === 'object' ? String((info as Raw)['username']) : null);

function flatten(s: Raw): Raw {
  const status = s['status_extra_info'] as Raw | null | undefined;
  const epics = Array.isArray(s['epics']) ? (s['epics'] as Raw[]).map((e) => ({ id: e['id'], ref: e['ref'], subject: e['subject'] })) : undefined;
  return {
    ...s,
    status: status ? String(status['name']) : null,
    assigned_to: username(s['assigned_to_extra_info']),
    owner: username(s['owner_extra_info']),
    sprint: (s['milestone_name'] as string | null | undefined) ?? null,
    sprint_id: (s['milestone'] as number | null | undefined) ?? null,
    epics,
    tags: Array.isArray(s['tags']) ? (s['tags'] as unknown[]).map((t) => String(Array.isArray(t) ? t[0] : t)) : undefined,
  };
}

export const leanStory = (s: Raw): Story => pick(flatten(s), STORY_FIELDS) as Story;
export const storyDetail = (s: Raw, full: boolean): StoryDetail => ({ ...(pick(flatten(s), STORY_DETAIL_FIELDS) as StoryDetail), ...(full && { raw: s }) });

export const storyLine = (s: Story): string =>
  `#${s.ref} ${s.subject} [${s.status ?? '?'}]${s.assigned_to ? ` @${s.assigned_to}` : ''}${s.sprint ? ` (${s.sprint})` : ''} id=${s.id} v${s.version ?? '?'}`;
