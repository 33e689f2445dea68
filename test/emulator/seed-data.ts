// Baseline sample data, transcribed from the taiga-back 6.7.3 recordings
// (test/fixtures/taiga-6.7.3). Values that the recordings do not show are
// filled in plausibly.

/** [id, username, full name, color, gravatar id] */
export const USERS: [number, string, string, string, string][] = [
  [1, 'bitbucket-81aeb53dc9144396bfc47cd074e0ee6c', 'BitBucket', '', ''],
  [2, 'github-220bba7dbec9475799588d5e66bae7ba', 'GitHub', '', ''],
  [3, 'gitlab-d715153f7b1d462096d7c4e4a6da7869', 'GitLab', '', ''],
  [4, 'gogs-29545b44972c441184ae94e482cbe86d', 'Gogs', '', ''],
  [5, 'admin', 'Administrator', '#64328c', 'e64c7d89f26bd1972efa854d13d7dd61'],
  [6, 'user6896223236414216872', 'Josep Vargas', '#007000', '723405f98b2b54afffb663b6987d157b'],
  [7, 'user1', 'Isabel Diaz', '#761CEC', 'aed1e43be0f69f07ce6f34a907bc6328'],
  [8, 'user2', 'Nieves Serrano', '#2099DB', '5c921c7bd676b7b4992501005d243c42'],
  [9, 'user3', 'Sonia Cruz', '#FFF8E7', '9971a763f5dfc5cbd1ce1d2865b4fcfa'],
  [10, 'user4', 'Irene Navarro', '#007000', 'f31e0063c7cd6da19b6467bc48d2b14b'],
  [11, 'user5', 'Agustin Ramirez', '#C0FF33', 'c9ba9d485f9a9153ebf53758feb0980c'],
  [12, 'user6', 'Jesus Caballero', '#CC0000', '74cb769a5e64d445b8550789e1553502'],
  [13, 'user7', 'Gema Moreno', '#67CF00', '6d7e702bd6c6fc568fca7577f9ca8c55'],
  [14, 'user8', 'Angela Gonzalez', '#71A6D2', 'dce0e8ed702cd85d5132e523121e619b'],
  [15, 'user9', 'Carlos Suarez', '#708090', '69b60d39a450e863609ae3546b12b360'],
];

export interface ProjectRow {
  id: number;
  owner: number;
  isPrivate: boolean;
  blocked: string | null;
  created: string;
  tags: string[];
  /** [user id, role index 0..5] in the order of the recorded `members` list */
  members: [number, number][];
  /** first and last story id */
  stories: [number, number] | null;
  nextRef: number;
  /** Recorded for projects 1-3 as counts (total_fans, total_watchers: every user); the ids are chosen to match. */
  fans: number[];
  watchers: number[];
}

const EVERYONE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

export const PROJECTS: ProjectRow[] = [
  { id: 1, owner: 6, isPrivate: false, blocked: null, created: '2026-11-21T02:42:00.378Z',
    tags: ['consequatur', 'ipsa', 'dolorum', 'fugit', 'officia', 'possimus', 'beatae', 'eum'],
    members: [[5, 3], [11, 4], [14, 4], [15, 5], [13, 5], [10, 3], [12, 5], [6, 4], [8, 0], [9, 2]],
    stories: [1, 14], nextRef: 47, fans: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], watchers: EVERYONE },
  { id: 2, owner: 8, isPrivate: false, blocked: null, created: '2026-11-21T02:42:08.059Z',
    tags: ['est', 'facere', 'inventore', 'ducimus', 'ipsum', 'repudiandae', 'laudantium', 'corporis'],
    members: [[5, 3], [11, 4], [14, 1], [15, 5], [13, 0], [10, 2], [7, 1], [12, 5], [6, 3], [8, 4]],
    stories: [15, 40], nextRef: 69, fans: [2, 5, 7, 9, 11], watchers: EVERYONE },
  { id: 3, owner: 13, isPrivate: true, blocked: null, created: '2026-11-21T02:42:18.352Z',
    tags: ['veniam', 'dignissimos', 'minus', 'qui', 'placeat'],
    members: [[5, 3], [11, 0], [14, 2], [15, 1], [13, 4], [10, 5], [7, 2], [12, 3], [6, 1], [8, 0]],
    stories: [41, 70], nextRef: 120, fans: [2, 3, 5, 6, 8, 10, 12, 13, 14], watchers: EVERYONE },
  { id: 4, owner: 8, isPrivate: false, blocked: null, created: '2026-11-21T02:42:32.363Z',
    tags: ['culpa', 'numquam', 'doloribus'],
    members: [[5, 2], [11, 1], [14, 0], [13, 3], [10, 4], [7, 5], [12, 2], [6, 0], [8, 4], [9, 1]],
    stories: [71, 84], nextRef: 76, fans: [5], watchers: [5] }, // past epic 26 (ref 75)
  { id: 5, owner: 11, isPrivate: true, blocked: null, created: '2026-11-21T02:42:42.485Z',
    tags: ['libero', 'ex', 'adipisci', 'exercitationem', 'sequi', 'itaque', 'repudiandae', 'ullam'],
    members: [[5, 4], [11, 4], [14, 3], [15, 2], [13, 1], [10, 0], [7, 5], [12, 3], [6, 2], [9, 1]],
    stories: [85, 98], nextRef: 60, fans: [5], watchers: [5] },
  { id: 6, owner: 8, isPrivate: false, blocked: null, created: '2026-11-21T02:42:42.837Z',
    tags: ['ad', 'eius', 'quisquam', 'nihil', 'non'],
    members: [[5, 1], [11, 0], [15, 3], [13, 2], [10, 4], [7, 5], [12, 0], [6, 1], [8, 4], [9, 3]],
    stories: null, nextRef: 1, fans: [5], watchers: [5] },
  { id: 7, owner: 5, isPrivate: false, blocked: 'blocked-by-staff', created: '2026-11-21T02:42:43.142Z',
    tags: ['quam', 'laboriosam', 'quibusdam'],
    members: [[5, 4], [11, 3], [14, 2], [15, 1], [13, 0], [10, 5], [7, 4], [12, 3], [8, 2], [9, 1]],
    stories: [99, 114], nextRef: 60, fans: [5], watchers: [5] },
];

/** Project 1's two pending invitations (12 memberships for 10 members). */
export const PENDING_INVITES: [project: number, email: string, roleIndex: number][] = [
  [1, 'pending.one@example.com', 1],
  [1, 'pending.two@example.com', 2],
];

/** [id, project, name, slug, owner, start, finish, story ids] */
export const MILESTONES: [number, number, string, string, number, string, string, number[]][] = [
  [1, 1, 'Sprint 2026-9-27', 'sprint-2026-9-27', 14, '2026-09-27', '2026-10-12', [1, 2, 3]],
  [2, 2, 'Sprint 2026-9-27', 'sprint-2026-9-27-1', 5, '2026-09-27', '2026-10-12', [15, 16, 17]],
  [3, 2, 'Sprint 2026-10-12', 'sprint-2026-10-12', 8, '2026-10-12', '2026-10-27', [18, 19]],
  [4, 3, 'Sprint 2026-9-27', 'sprint-2026-9-27-2', 5, '2026-09-27', '2026-10-12', [41, 42, 43, 44, 45, 46]],
  [5, 3, 'Sprint 2026-10-12', 'sprint-2026-10-12-1', 12, '2026-10-12', '2026-10-27', [47, 48, 49]],
  [6, 3, 'Sprint 2026-10-27', 'sprint-2026-10-27', 5, '2026-10-27', '2026-11-11', [50, 51, 52]],
  [7, 3, 'Sprint 2026-11-11', 'sprint-2026-11-11', 14, '2026-11-11', '2026-11-26', [53, 54, 55, 56, 57]],
  [8, 3, 'Sprint 2026-11-26', 'sprint-2026-11-26', 5, '2026-11-26', '2026-12-11', [58, 59, 60, 61, 62, 63, 64]],
  [9, 4, 'Sprint 2026-9-27', 'sprint-2026-9-27-3', 8, '2026-09-27', '2026-10-12', [71, 72]],
  [10, 5, 'Sprint 2026-9-27', 'sprint-2026-9-27-4', 11, '2026-09-27', '2026-10-12', [85, 86]],
  [11, 7, 'Sprint 2026-9-27', 'sprint-2026-9-27-5', 5, '2026-09-27', '2026-10-12', [99, 100]],
];

/**
 * Project 1's stories (ids 1-14):
 * [id, ref, subject, status, milestone, owner, assigned_to, tags, epics, points "r1,r2,r3,r4", swimlane, watchers, voters count].
 * Stories 7 and 10 are never shown in full: their subjects, statuses and total points are search-resolver/search-empty-text's,
 * their epics make the epics' user_stories_counts come out as recorded, and their tags, owners, assignees and points are
 * what search-resolver/filters-data-userstories and projects/stats count beyond the shown stories'.
 */
export type StoryRow = [number, number, string, number, number | null, number, number | null, string[], number[], string, number | null, number[], number];
export const PROJECT1_STORIES: StoryRow[] = [
  [1, 1, 'Exception is thrown if trying to add a folder with existing name', 2, 1, 10, null, ['odio', 'exercitationem', 'quisquam'], [], '8,5,4,9', 1, [4, 6, 10, 11, 12], 5],
  [2, 5, 'Add tests for bulk operations', 2, 1, 11, 9, ['ratione'], [2, 3, 4, 8], '4,11,4,7', 2, [7], 9],
  [3, 9, "get_actions() does not check for 'delete_selected' in actions", 4, 1, 11, 11, ['unde', 'neque'], [1, 3, 5, 13], '12,9,3,6', 3, [3, 13], 6],
  [4, 12, 'Support for bulk actions', 1, null, 6, 6, ['vel'], [8], '11,8,11,5', 5, [4, 5, 7, 13, 14, 15], 0],
  [5, 13, 'Feature/improved image admin', 1, null, 5, 13, ['quia', 'molestiae'], [3, 5, 8, 23], '9,4,2,8', 5, [3, 5, 11, 13, 14], 7],
  [6, 14, 'Added file copying and processing of images (resizing)', 4, null, 6, null, ['officia', 'velit'], [3, 5, 8], '3,9,7,4', 2, [3, 4, 5, 15], 5],
  [7, 15, 'Add setting to allow regular users to create folders at the root level.', 2, null, 14, 6, ['doloremque', 'eveniet', 'inventore'], [1, 5, 8], '11,2,7,7', 4, [], 2],
  [8, 16, 'Support for bulk actions', 3, null, 6, 14, ['illum', 'praesentium'], [4, 5, 8, 23], '6,6,9,1', 5, [2, 3, 5, 7, 10, 11], 7],
  [9, 17, 'Support for bulk actions', 4, null, 14, 13, ['ullam'], [3, 5, 8], '7,3,10,5', 1, [], 7],
  [10, 18, 'Migrate to Python 3 and milk a beautiful cow', 4, null, 8, 12, ['quibusdam', 'quis', 'sunt'], [2, 8], '9,3,7,9', 4, [], 1],
  [11, 19, 'Added file copying and processing of images (resizing)', 4, null, 8, 14, ['neque', 'harum', 'enim'], [5], '7,7,3,9', 2, [2, 8, 10, 11, 12], 5],
  [12, 20, 'Feature/improved image admin', 1, null, 12, null, ['incidunt', 'eligendi', 'neque'], [5, 8], '8,10,2,1', 3, [], 3],
  [13, 21, 'Add setting to allow regular users to create folders at the root level.', 1, null, 11, 12, ['distinctio', 'incidunt', 'corporis'], [5, 8, 23], '3,10,12,2', 3, [], 3],
  [14, 22, 'Migrate to Python 3 and milk a beautiful cow', 4, null, 5, 5, ['natus', 'laboriosam'], [3, 5], '7,3,10,2', 3, [], 0],
];

export const LOREM_SUBJECTS = [
  'Support for bulk actions', 'Feature/improved image admin', 'Lighttpd support', 'Create the html template',
  'Add tests for bulk operations', 'Fixing templates for Django 1.6.', 'Experimental: modular file types',
  'Migrate to Python 3 and milk a beautiful cow', 'Added file copying and processing of images (resizing)',
];
