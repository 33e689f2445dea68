// Builds the seeded epics, tasks, issues and epic links from seed-items-data.ts
// (their history comes from seed-history.ts).
import { EPICS, PROJECT1_ISSUES, PROJECT3_ISSUE, PROJECT3_STORIES, STORY_TAG_COLORS, TASKS, type TagRow } from './seed-items-data.js';
import { PROJECT1_STORIES } from './seed-data.js';
import type { State } from './state.js';
import type { Epic, Issue, Project, Task, WorkItem } from './types.js';

const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const lorem = (subject: string) => `${subject}. Lorem ipsum dolor sit amet, consectetur adipisci velit.`;

/** Tag names; the colors go to the project's tags_colors. */
function tags(project: Project, row: TagRow): string[] {
  return row.map((t) => {
    if (typeof t === 'string') return t;
    project.tags_colors[t[0]] = t[1];
    return t[0];
  });
}

type Base = Omit<WorkItem, 'id' | 'project' | 'ref' | 'subject' | 'status' | 'owner'>;
function base(created: string, subject: string): Base {
  return {
    description: lorem(subject), assigned_to: null, tags: [], watchers: [], voters: [], is_blocked: false, blocked_note: '',
    external_reference: null, created_date: created, modified_date: after(created, 50), version: 1,
  };
}

function seedTasks(state: State): void {
  for (const [id, project, ref, story, milestone, status, owner, assigned, subject, tagRow, watchers, voters, created, finished] of TASKS) {
    const order = Date.parse(created);
    const task: Task = {
      ...base(created, subject), id, project, ref, subject, status, owner, assigned_to: assigned, watchers, voters,
      tags: tags(state.projects.get(project)!, tagRow), user_story: story, milestone, us_order: order, taskboard_order: order,
      is_iocaine: false, finished_date: finished, due_date: null, due_date_reason: '',
    };
    state.tasks.set(id, task);
  }
  state.setLastId('task', 108);
}

function seedIssues(state: State): void {
  const p1 = state.projects.get(1)!;
  for (const [id, ref, type, priority, severity, status, owner, assigned, subject, tagRow, watchers, voters, created, finished] of PROJECT1_ISSUES) {
    state.issues.set(id, {
      ...base(created, subject), id, project: 1, ref, subject, type, priority, severity, status, owner, assigned_to: assigned,
      tags: tags(p1, tagRow), watchers, voters, milestone: null, finished_date: finished, due_date: null, due_date_reason: '',
    });
  }
  const [id, ref, type, priority, severity, status, owner] = PROJECT3_ISSUE;
  const issue: Issue = {
    ...base('2026-11-21T02:42:25.000Z', 'Create the user model'), id, project: 3, ref, subject: 'Create the user model',
    type, priority, severity, status, owner, milestone: null, finished_date: null, due_date: null, due_date_reason: '',
  };
  state.issues.set(id, issue);
  state.setLastId('issue', 90);
}

function seedEpics(state: State): void {
  for (const [id, project, ref, status, color, owner, assigned, subject, tagRow, watchers, voters, created] of EPICS) {
    const epic: Epic = {
      ...base(created, subject), id, project, ref, subject, status, color, owner, assigned_to: assigned, watchers, voters,
      tags: tags(state.projects.get(project)!, tagRow), epics_order: Date.parse(created), client_requirement: false, team_requirement: false,
    };
    state.epics.set(id, epic);
  }
  state.setLastId('epic', 36);
  // Links in the order the epics list their stories; the recorded link ids end at 102.
  const links: [epic: number, story: number][] = [];
  for (const [storyId, , , , , , , , epicIds] of PROJECT1_STORIES) for (const e of epicIds) links.push([e, storyId]);
  links.push([17, 41], [23, 41]);
  links.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  links.forEach(([epic, story], i) => {
    const id = state.nextId('epic_link');
    const position = links.slice(0, i).filter((l) => l[0] === epic).length + 1;
    state.epicLinks.set(id, { id, epic, user_story: story, order: position });
  });
  state.setLastId('epic_link', 102);
}

/** Story details the generated stories of other projects get wrong, and story tag colors. */
function fixStories(state: State): void {
  for (const [id, ref, subject, status, assigned] of PROJECT3_STORIES) {
    Object.assign(state.stories.get(id)!, { ref, subject, status, assigned_to: assigned, assigned_users: assigned ? [assigned] : [] });
  }
  for (const [project, colors] of Object.entries(STORY_TAG_COLORS)) Object.assign(state.projects.get(Number(project))!.tags_colors, colors);
}

export function seedItems(state: State): void {
  fixStories(state);
  seedEpics(state);
  seedTasks(state);
  seedIssues(state);
}
