// Project items transcribed from the taiga-back 6.7.3 recordings
// (test/fixtures/taiga-6.7.3): project 1's 8 tasks, 16 issues and 8 epics,
// and the few items of other projects that the exchanges touch. Issues 2, 5
// and 6 never appear in a list body: their subjects, statuses and assignees
// are those of search-resolver/search-empty-text, and their types,
// priorities, severities and owners make projects/issues-stats and every
// recorded filter count hold. Epic 6 is chosen the same way. Tags are a name, or [name, color]
// when the project gives the tag a color.

export type TagRow = (string | [string, string])[];

/** [id, project, ref, story, milestone, status, owner, assigned_to, subject, tags, watchers, voters, created, finished] */
export type TaskRow = [number, number, number, number | null, number | null, number, number, number | null, string, TagRow, number[], number[], string, string | null];
export const TASKS: TaskRow[] = [
  [1, 1, 2, 1, 1, 4, 8, 10, 'Lighttpd x-sendfile support', ['fuga', 'consectetur'], [7, 5, 12, 4, 6], [5, 2, 3, 4, 6, 7, 8, 9], '2026-11-21T02:42:00.856Z', '2026-10-07T22:56:34.710Z'],
  [2, 1, 3, 1, 1, 4, 6, 8, 'Add setting to allow regular users to create folders at the root level.', [['dicta', '#939b44'], 'aperiam', 'error'], [3, 1, 12], [2, 3, 4, 6, 7], '2026-11-21T02:42:00.971Z', '2026-10-06T21:16:34.710Z'],
  [3, 1, 4, 1, 1, 4, 12, 10, 'Implement the form', ['molestias', 'quam', 'similique', 'ratione', 'neque', 'quos', 'ex', 'eveniet'], [], [2, 3, 4, 6, 7, 8], '2026-11-21T02:42:01.071Z', '2026-10-09T01:21:43.710Z'],
  [4, 1, 6, 2, 1, 1, 9, 5, 'Fixing templates for Django 1.6.', ['dolorum', ['eius', '#860b86'], 'excepturi', ['at', '#27e90d']], [13, 11, 12], [1, 4, 11, 13], '2026-11-21T02:42:01.321Z', null],
  [5, 1, 7, 2, 1, 4, 5, 14, 'Create the html template', ['voluptatibus'], [11], [2, 3], '2026-11-21T02:42:01.419Z', '2026-09-29T13:24:20.710Z'],
  [6, 1, 8, 2, 1, 5, 13, 11, "get_actions() does not check for 'delete_selected' in actions", [['ipsam', '#fa74af'], 'non', 'consectetur', 'veniam', 'quisquam'], [4, 10, 9, 15, 1, 2, 7, 11], [2, 3, 4, 6], '2026-11-21T02:42:01.498Z', null],
  [7, 1, 10, 3, 1, 5, 9, 9, 'Create testsuite with matrix builds', ['sit', 'reiciendis', 'assumenda', ['fugit', '#9345df'], ['possimus', '#fccc1b'], 'soluta', ['deleniti', '#6188db'], ['vero', '#74e191'], ['expedita', '#740c41']], [14, 13, 4], [5, 2, 3], '2026-11-21T02:42:01.745Z', null],
  [8, 1, 11, 3, 1, 2, 6, 11, 'Experimental: modular file types', ['nam', 'sit', ['ut', '#e74669'], ['omnis', '#fc9548'], ['ad', '#4aeb19']], [9, 7], [2, 3, 4, 6, 7, 8, 9, 10], '2026-11-21T02:42:01.865Z', null],
  [27, 3, 5, 41, 4, 12, 7, 14, 'Experimental: modular file types', [['aliquam', '#631249'], ['natus', '#e610c1'], ['iusto', '#3a10e8'], 'enim', ['architecto', '#9d1e93'], ['exercitationem', '#ac7c74']], [1, 11], [2, 3], '2026-11-21T02:42:19.013Z', null],
  [41, 3, 24, 46, 4, 15, 12, 14, 'Support for bulk actions', ['maiores', ['repellendus', '#13f068'], 'porro'], [], [5, 2, 3, 4, 6, 7, 8], '2026-11-21T02:42:20.958Z', null],
  // Project 3: five tasks assigned to user8 (tasks/filter-assigned-to); 27 and 41 are the recorded ones.
  [44, 3, 30, 47, 5, 11, 9, 14, 'Lighttpd support', ['nobis'], [], [], '2026-11-21T02:42:21.310Z', null],
  [50, 3, 36, 50, 6, 12, 11, 14, 'Create the html template', [], [14], [2], '2026-11-21T02:42:21.905Z', null],
  [55, 3, 42, 53, 7, 13, 5, 14, 'Implement the form', ['quia'], [], [3], '2026-11-21T02:42:22.418Z', null],
];

/** Project 1's issues: [id, ref, type, priority, severity, status, owner, assigned_to, subject, tags, watchers, voters, created, finished] */
export type IssueRow = [number, number, number, number, number, number, number, number | null, string, TagRow, number[], number[], string, string | null];
export const PROJECT1_ISSUES: IssueRow[] = [
  [1, 23, 3, 3, 2, 3, 11, 9, 'Fixing templates for Django 1.6.', [['itaque', '#090d7d'], ['quaerat', '#0b4425'], 'id'], [2, 10, 15], [2, 3], '2026-11-21T02:42:03.146Z', null],
  [2, 24, 1, 3, 4, 6, 14, 9, 'Create the user model', ['accusantium', 'amet', 'eaque', 'esse'], [9, 10, 11, 12, 14], [13], '2026-11-21T02:42:03.212Z', '2026-11-21T02:42:03.240Z'],
  [3, 25, 2, 3, 1, 7, 6, 15, 'Lighttpd x-sendfile support', ['consectetur', ['aspernatur', '#82854c']], [9, 10, 15], [5, 2, 3, 4, 6], '2026-11-21T02:42:03.279Z', null],
  [4, 26, 3, 2, 2, 7, 10, 15, 'Create the html template', [['distinctio', '#1f8960'], ['ipsum', '#da3ba4'], 'beatae', 'eligendi', 'repellendus', 'accusantium', ['obcaecati', '#9ccd46']], [3, 4, 9, 12, 14, 15], [2, 3, 4, 6, 7, 8], '2026-11-21T02:42:03.363Z', null],
  [5, 27, 2, 3, 2, 2, 10, 9, 'Create testsuite with matrix builds', ['eveniet', 'illo', 'maiores', 'omnis'], [], [2, 3], '2026-11-21T02:42:03.452Z', null],
  [6, 28, 3, 1, 4, 6, 13, 5, 'Added file copying and processing of images (resizing)', ['quam', 'quo', 'sit'], [], [], '2026-11-21T02:42:03.541Z', '2026-11-21T02:42:03.570Z'],
  [7, 29, 3, 2, 1, 5, 9, null, 'Add setting to allow regular users to create folders at the root level.', ['consequuntur', 'eum', 'iure', 'cumque', 'reiciendis'], [], [5, 2, 3, 4, 6], '2026-11-21T02:42:03.627Z', null],
  [8, 30, 2, 3, 4, 1, 15, 10, 'Create the html template', [['ad', '#4aeb19'], 'eaque', 'nostrum', ['ab', '#da2361'], ['officiis', '#964862'], 'consequuntur'], [9, 10, 11, 13], [5, 2, 3, 4, 6, 7, 8], '2026-11-21T02:42:03.716Z', null],
  [9, 31, 1, 1, 2, 1, 8, 15, 'Add setting to allow regular users to create folders at the root level.', ['ex', ['minima', '#f0048e'], 'impedit', 'debitis', 'quam', ['quae', '#d91a8b'], 'similique', ['ipsam', '#fa74af'], ['tempore', '#ae2670']], [15], [2, 3, 4], '2026-11-21T02:42:03.814Z', null],
  [10, 32, 3, 3, 3, 7, 5, 14, 'Create the html template', [['eius', '#860b86'], 'nihil', 'placeat', ['libero', '#5b20bf'], ['possimus', '#fccc1b'], 'cumque', ['nemo', '#e81498']], [13], [5, 2, 3, 4, 6], '2026-11-21T02:42:03.891Z', null],
  [11, 33, 3, 2, 1, 2, 10, 10, 'Added file copying and processing of images (resizing)', ['quam', 'debitis', 'dignissimos', ['harum', '#b42d3c'], ['possimus', '#fccc1b'], ['enim', '#150d4a'], ['quibusdam', '#c49ac2'], 'temporibus'], [4, 10, 11, 12, 15], [2, 3, 4], '2026-11-21T02:42:03.970Z', null],
  [12, 34, 2, 3, 5, 4, 14, 11, 'Migrate to Python 3 and milk a beautiful cow', ['ullam', 'veritatis', 'voluptatibus'], [2, 8, 9, 10, 12, 14, 15], [2, 3, 4, 6, 7, 8, 9], '2026-11-21T02:42:04.073Z', '2026-11-21T02:42:04.116Z'],
  [13, 35, 1, 2, 1, 3, 13, 8, "get_actions() does not check for 'delete_selected' in actions", [['asperiores', '#a69134'], ['libero', '#5b20bf'], 'impedit', ['nulla', '#894727']], [6], [2], '2026-11-21T02:42:04.170Z', null],
  [14, 36, 2, 3, 1, 1, 13, null, 'Support for bulk actions', [['nulla', '#894727'], ['natus', '#e610c1'], 'cum', 'fuga', 'quidem', 'quis', ['tempore', '#ae2670'], 'provident'], [3, 5, 6, 7, 15], [5, 2, 3, 4, 6], '2026-11-21T02:42:04.232Z', null],
  [15, 37, 2, 3, 2, 2, 10, 5, 'Support for bulk actions', ['aperiam', ['distinctio', '#1f8960'], ['doloribus', '#fb1b00'], ['consequatur', '#3ad7db'], ['fugit', '#9345df'], 'cum', ['alias', '#cdb6fd'], 'aliquam'], [3, 12, 15], [2, 3, 4, 6, 7, 8, 9], '2026-11-21T02:42:04.311Z', null],
  [16, 38, 2, 2, 5, 4, 5, 8, 'Create the user model', [['doloribus', '#fb1b00'], ['ut', '#e74669']], [1, 4, 10, 11, 13, 15], [2, 3, 4, 6, 7], '2026-11-21T02:42:04.398Z', '2026-11-21T02:42:04.399Z'],
];
/** Issue 40 of private project 3 (permissions/non-member-get-private-issue), as [id, ref, type, priority, severity, status, owner]. */
export const PROJECT3_ISSUE: [number, number, number, number, number, number, number] = [40, 60, 7, 8, 13, 15, 13];

/** [id, project, ref, status, color, owner, assigned_to, subject, tags, watchers, voters, created] — project 1's and the foreign epics stories link to. */
export type EpicRow = [number, number, number, number, string, number, number | null, string, TagRow, number[], number[], string];
export const EPICS: EpicRow[] = [
  [1, 1, 39, 1, '#5c3566', 13, 8, 'Added file copying and processing of images (resizing)', ['quidem', 'laudantium', 'dignissimos'], [2, 3, 4, 6, 9, 14, 15], [2, 3, 4, 6], '2026-11-21T02:42:07.112Z'],
  [2, 1, 40, 2, '#c4a000', 11, 9, 'Lighttpd support', [['libero', '#5b20bf']], [1, 3, 7, 8, 9, 11], [5, 2, 3, 4, 6, 7, 8], '2026-11-21T02:42:07.230Z'],
  [3, 1, 41, 1, '#3465a4', 5, 12, 'Add setting to allow regular users to create folders at the root level.', ['veniam', 'dolorem', 'nihil'], [5, 12], [2, 3, 4], '2026-11-21T02:42:07.360Z'],
  [4, 1, 42, 1, '#204a87', 13, 5, 'Support for bulk actions', ['odio'], [3, 7, 10, 11, 14, 15], [5, 2, 3, 4, 6, 7], '2026-11-21T02:42:07.464Z'],
  [5, 1, 43, 2, '#ad7fa8', 13, 12, 'Create the html template', ['architecto', 'maxime', ['expedita', '#740c41']], [2, 5], [2, 3, 4, 6], '2026-11-21T02:42:07.592Z'],
  [6, 1, 44, 1, '#4e9a06', 6, 5, "get_actions() does not check for 'delete_selected' in actions", [['laborum', '#67eac4'], 'possimus', ['velit', '#790ea4']], [], [], '2026-11-21T02:42:07.705Z'],
  [7, 1, 45, 3, '#fce94f', 11, 12, 'Added file copying and processing of images (resizing)', [['rerum', '#b1c629']], [8, 13], [5, 2, 3, 4, 6, 7], '2026-11-21T02:42:07.800Z'],
  [8, 1, 46, 2, '#204a87', 9, 9, 'Experimental: modular file types', [['iusto', '#3a10e8']], [4, 6, 8, 11, 12, 15], [2, 3, 4], '2026-11-21T02:42:07.893Z'],
  [13, 2, 65, 6, '#ef2929', 8, null, 'Create the html template', [], [], [], '2026-11-21T02:42:17.500Z'],
  [17, 3, 106, 11, '#edd400', 13, null, 'Support for bulk actions', [], [], [], '2026-11-21T02:42:31.100Z'],
  [18, 3, 107, 11, '#f57900', 13, null, 'Implement the form', [], [], [], '2026-11-21T02:42:31.200Z'],
  [19, 3, 108, 11, '#d3d7cf', 13, null, 'Migrate to Python 3 and milk a beautiful cow', [], [], [], '2026-11-21T02:42:31.300Z'],
  [22, 3, 111, 11, '#5c3566', 13, null, 'Experimental: modular file types', [], [], [], '2026-11-21T02:42:31.600Z'],
  [23, 3, 112, 11, '#204a87', 13, null, 'Exception is thrown if trying to add a folder with existing name', [], [], [], '2026-11-21T02:42:31.700Z'],
  [26, 4, 75, 16, '#a40000', 8, null, 'Lighttpd x-sendfile support', [], [], [], '2026-11-21T02:42:41.200Z'],
  [34, 7, 42, 31, '#d3d7cf', 5, null, 'Implement the form', [], [], [], '2026-11-21T02:42:53.100Z'],
];

/** Colors of story tags, which the story rows do not carry: project → tag → color. */
export const STORY_TAG_COLORS: Record<number, Record<string, string>> = {
  1: { vel: '#91e065', unde: '#da2470', praesentium: '#0cd131', velit: '#790ea4', exercitationem: '#ac7c74' },
  7: { dolor: '#641bd9' },
};

/** Stories of project 3 that recorded tasks point at: [id, ref, subject, status, assigned_to]. */
export const PROJECT3_STORIES: [number, number, string, number, number | null][] = [
  [41, 1, 'Migrate to Python 3 and milk a beautiful cow', 15, null],
  [46, 23, 'Added file copying and processing of images (resizing)', 13, 12],
];
