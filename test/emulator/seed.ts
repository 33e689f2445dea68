// Builds the baseline State from seed-data.ts and the default template.
import { State } from './state.js';
import { LOREM_SUBJECTS, MILESTONES, PENDING_INVITES, PROJECT1_STORIES, PROJECTS, USERS } from './seed-data.js';
import { seedItems } from './seed-items.js';
import { seedAttachments } from './seed-attachments.js';
import { seedAttributes } from './seed-attributes.js';
import { seedHistory } from './seed-history.js';
import { createDueDates, seedBoards } from './seed-boards.js';
import { seedWiki } from './seed-wiki.js';
import { storyIsClosed } from './story-closing.js';
import {
  OWNER_ROLE_INDEX, PRIORITY_ORDERS, TEMPLATE_CHOICES, TEMPLATE_DEFAULTS, TEMPLATE_POINTS, TEMPLATE_ROLES, VIEW_PERMISSIONS, slugify,
} from './template.js';
import type { ChoiceKind, Project, UserStory } from './types.js';

const SEED_TIME = '2026-11-21T02:42:00.000Z';
const KINDS: ChoiceKind[] = ['epic_status', 'us_status', 'points', 'task_status', 'issue_status', 'issue_type', 'priority', 'severity'];

/** Creates the template's choice values and roles for a project; returns the defaults. */
export function applyTemplate(state: State, projectId: number): Project['defaults'] {
  const defaults: Project['defaults'] = {};
  for (const kind of KINDS) {
    const rows: [string, string, boolean, boolean, number | null][] =
      kind === 'points'
        ? TEMPLATE_POINTS.map(([name, value]) => [name, '', false, false, value])
        : TEMPLATE_CHOICES[kind].map(([name, color, closed, archived]) => [name, color, !!closed, !!archived, null]);
    rows.forEach(([name, color, isClosed, isArchived, value], i) => {
      const id = state.nextId(kind);
      state.choiceMap(kind).set(id, {
        id, kind, project: projectId, name, slug: slugify(name), color, is_closed: isClosed, is_archived: isArchived,
        order: kind === 'priority' ? PRIORITY_ORDERS[i]! : i + 1, wip_limit: null, value,
      });
      if (i === TEMPLATE_DEFAULTS[kind]) defaults[kind] = id;
    });
  }
  createDueDates(state, projectId);
  TEMPLATE_ROLES.forEach((r, i) => {
    const id = state.nextId('role');
    state.roles.set(id, { id, project: projectId, name: r.name, slug: slugify(r.name), order: (i + 1) * 10, computable: r.computable, permissions: [...r.permissions] });
  });
  return defaults;
}

export function ownerRoleId(state: State, projectId: number): number {
  return state.rolesOf(projectId)[OWNER_ROLE_INDEX]!.id;
}

export function newStory(partial: Partial<UserStory> & Pick<UserStory, 'id' | 'project' | 'ref' | 'subject' | 'status'>): UserStory {
  return {
    description: '', milestone: null, owner: null, assigned_to: null, assigned_users: [], tags: [], points: {},
    backlog_order: 0, sprint_order: 0, kanban_order: 0, created_date: SEED_TIME, modified_date: SEED_TIME, finish_date: null,
    client_requirement: false, team_requirement: false, is_blocked: false, blocked_note: '', due_date: null, due_date_reason: '',
    external_reference: null, swimlane: null, watchers: [], voters: [],
    version: 1, generated_from_issue: null, generated_from_task: null, from_task_ref: null,
    ...partial,
  };
}

export function seed(state: State): void {
  for (const [id, username, fullName, color, gravatar] of USERS) {
    const system = id < 5;
    state.users.set(id, {
      id, username, full_name: fullName, color, gravatar_id: gravatar, is_active: !system, is_system: system, is_superuser: id === 5,
      email: id === 5 ? 'admin@example.com' : `${username}@taigaio.demo`,
      password: id === 5 ? 'taigaadmin' : '123123',
      uuid: `${id.toString(16).padStart(4, '0')}${'a'.repeat(28)}`, date_joined: '2026-11-21T02:41:57.392Z',
    });
  }
  for (const row of PROJECTS) {
    const defaults = applyTemplate(state, row.id);
    const n = row.id;
    state.projects.set(n, {
      id: n, name: `Project Example ${n}`, slug: `project-${n}`, description: `Project example ${n} description`,
      created_date: row.created, modified_date: row.created, owner: row.owner, is_private: row.isPrivate, blocked_code: row.blocked,
      tags: row.tags, tags_colors: {}, anon_permissions: row.isPrivate ? [] : [...VIEW_PERMISSIONS],
      public_permissions: row.isPrivate ? [] : [...VIEW_PERMISSIONS], is_epics_activated: true, is_backlog_activated: true,
      is_kanban_activated: true, is_wiki_activated: true, is_issues_activated: true, is_contact_activated: true, is_featured: n === 1,
      is_looking_for_people: false, looking_for_people_note: '', videoconferences: null, videoconferences_extra_data: null,
      creation_template: 1, total_milestones: 10, total_story_points: 392, fans: [...row.fans], watchers: [...row.watchers],
      modules: null, defaults,
    });
    const roles = state.rolesOf(n);
    const ownerFirst = [...row.members].sort((a, b) => Number(b[0] === row.owner) - Number(a[0] === row.owner));
    for (const [userId, roleIndex] of ownerFirst) {
      const id = state.nextId('membership');
      state.memberships.set(id, {
        id, project: n, user: userId, role: roles[roleIndex]!.id, is_admin: userId === 5 || userId === row.owner,
        email: state.users.get(userId)!.email, created_at: row.created, invited_by: null, invitation_extra_text: null, user_order: 6, token: null,
      });
    }
    for (const [projectId, email, roleIndex] of PENDING_INVITES.filter((p) => p[0] === n)) {
      const id = state.nextId('membership');
      state.memberships.set(id, {
        id, project: projectId, user: null, role: roles[roleIndex]!.id, is_admin: false, email, created_at: row.created,
        invited_by: 5, invitation_extra_text: null, user_order: 0, token: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
      });
    }
  }
  state.setLastId('membership', 91);
  state.setLastId('project', PROJECTS.length);
  for (const [id, project, name, slug, owner, start, finish] of MILESTONES) {
    state.milestones.set(id, {
      id, project, name, slug, owner, estimated_start: start, estimated_finish: finish, created_date: `${start}T02:42:00.710Z`,
      modified_date: SEED_TIME, closed: false, disponibility: 0, order: 10, watchers: [],
    });
  }
  state.setLastId('milestone', MILESTONES.length);
  seedStories(state);
  seedItems(state);
  for (const s of state.stories.values()) if (storyIsClosed(state, s)) s.finish_date = s.modified_date;
  for (const row of PROJECTS) state.setNextRef(row.id, row.nextRef);
  collectTags(state);
  seedBoards(state);
  // Attachments and custom values exist before the first snapshots, as in the sample data.
  seedAttachments(state);
  seedAttributes(state);
  seedHistory(state);
  seedWiki(state);
}

function seedStories(state: State): void {
  const base = Date.parse('2026-11-21T02:42:00.728Z');
  for (const [id, ref, subject, status, milestone, owner, assigned, tags, , pts, swimlane, watchers, voters] of PROJECT1_STORIES) {
    const order = (base + id * 100) * 1000;
    const points = Object.fromEntries(pts.split(',').map((p, i) => [String(i + 1), Number(p)]));
    state.stories.set(id, newStory({
      id, project: 1, ref, subject, status, milestone, owner, assigned_to: assigned, assigned_users: assigned ? [assigned] : [],
      tags, points, swimlane, watchers, voters: [2, 3, 4, 6, 7, 8, 9, 10, 11, 12].slice(0, voters),
      backlog_order: order, sprint_order: order + 2, kanban_order: order + 4,
      created_date: new Date(base + id * 100).toISOString(), modified_date: new Date(base + id * 100 + 70).toISOString(),
      description: `${subject}. Lorem ipsum dolor sit amet, consectetur adipisci velit.`,
    }));
  }
  const inMilestone = new Map<number, number>();
  for (const [msId, , , , , , , storyIds] of MILESTONES) for (const s of storyIds) inMilestone.set(s, msId);
  for (const row of PROJECTS.filter((p) => p.id !== 1 && p.stories)) {
    const [first, last] = row.stories!;
    const statuses = state.choicesOf('us_status', row.id);
    const roles = state.rolesOf(row.id).filter((r) => r.computable);
    const points = state.choicesOf('points', row.id);
    for (let id = first; id <= last; id++) {
      const i = id - first;
      const order = (base + id * 100) * 1000;
      state.stories.set(id, newStory({
        id, project: row.id, ref: 1 + i * 3 + (i > 0 ? 0 : 0), subject: LOREM_SUBJECTS[id % LOREM_SUBJECTS.length]!,
        status: statuses[i % 5]!.id, milestone: inMilestone.get(id) ?? null, owner: row.members[i % row.members.length]![0],
        points: Object.fromEntries(roles.map((r, j) => [String(r.id), points[(i + j) % points.length]!.id])),
        backlog_order: order, sprint_order: order + 2, kanban_order: order + 4, swimlane: (row.id - 1) * 5 + 1,
        created_date: new Date(base + id * 100).toISOString(), modified_date: new Date(base + id * 100 + 70).toISOString(),
      }));
    }
  }
  state.setLastId('userstory', 114);
}

/** A project's tags_colors lists every tag its items use, in the order they appeared (projects/tags-colors). */
function collectTags(state: State): void {
  const items = [...state.stories.values(), ...state.tasks.values(), ...state.issues.values(), ...state.epics.values()]
    .sort((a, b) => a.created_date.localeCompare(b.created_date));
  for (const item of items) {
    const colors = state.projects.get(item.project)!.tags_colors;
    for (const tag of item.tags) if (!(tag in colors)) colors[tag] = null;
  }
}
