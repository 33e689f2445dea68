// Wiki pages and links of the sample data. Project 1's four pages and the
// first three of its twelve links are as recorded (wiki/list-project-1,
// wiki/links-list); their contents, the other links and the other projects'
// pages are made up. Each page gets a creation entry and, as the sample data
// does, a content change with a comment (editions 2).
import { recordHistory } from './freeze.js';
import { paragraphs, sentence, random } from './lorem.js';
import type { State } from './state.js';
import { slugify } from './template.js';

/** [id, project, slug, owner, created, modified] */
const PAGES: [number, number, string, number, string, string][] = [
  [1, 1, 'home', 9, '2026-11-21T02:42:04.494Z', '2026-11-21T02:42:04.517Z'],
  [2, 1, 'nesciunt-doloribus-modi', 6, '2026-11-21T02:42:05.118Z', '2026-11-21T02:42:05.147Z'],
  [3, 1, 'reiciendis-aliquid', 15, '2026-11-21T02:42:06.011Z', '2026-11-21T02:42:06.031Z'],
  [4, 1, 'debitis-error', 10, '2026-11-21T02:42:06.922Z', '2026-11-21T02:42:06.947Z'],
  [5, 2, 'home', 8, '2026-11-21T02:42:13.101Z', '2026-11-21T02:42:13.130Z'],
  [6, 2, 'quasi-fugit', 11, '2026-11-21T02:42:13.811Z', '2026-11-21T02:42:13.840Z'],
  [7, 2, 'odio-natus', 13, '2026-11-21T02:42:14.402Z', '2026-11-21T02:42:14.431Z'],
  [8, 2, 'magnam', 5, '2026-11-21T02:42:14.950Z', '2026-11-21T02:42:14.978Z'],
  [9, 3, 'home', 13, '2026-11-21T02:42:27.210Z', '2026-11-21T02:42:27.238Z'],
  [10, 3, 'libero-sequi', 7, '2026-11-21T02:42:27.905Z', '2026-11-21T02:42:27.933Z'],
  [11, 3, 'tempora', 12, '2026-11-21T02:42:28.512Z', '2026-11-21T02:42:28.540Z'],
  [12, 3, 'error-ipsa-aut', 5, '2026-11-21T02:42:29.018Z', '2026-11-21T02:42:29.047Z'],
  [13, 4, 'home', 8, '2026-11-21T02:42:38.330Z', '2026-11-21T02:42:38.358Z'],
  [14, 4, 'facere-illo', 10, '2026-11-21T02:42:38.977Z', '2026-11-21T02:42:39.004Z'],
  [15, 7, 'home', 5, '2026-11-21T02:42:47.501Z', '2026-11-21T02:42:47.530Z'],
  [16, 7, 'ullam-minus', 11, '2026-11-21T02:42:48.120Z', '2026-11-21T02:42:48.148Z'],
  [17, 7, 'aut-sunt', 9, '2026-11-21T02:42:48.734Z', '2026-11-21T02:42:48.762Z'],
];

/** Project 1's links, in order; the first three are recorded, the pages' slugs come from theirs. */
const PROJECT1_LINKS = [
  'similique aliquid', 'nesciunt doloribus modi', 'quam molestiae repellendus', 'reiciendis aliquid', 'voluptas', 'debitis error',
  'cumque nemo', 'aperiam', 'totam eos', 'dolor ab', 'rem', 'natus quia',
];

export function seedWiki(state: State): void {
  for (const [id, project, slug, owner, created, modified] of PAGES) {
    const page = {
      id, project, slug, content: paragraphs(id * 7, 4 + (id % 5)), owner, last_modifier: null, created_date: created,
      modified_date: created, version: 1, watchers: [],
    };
    state.wikiPages.set(id, page);
    recordHistory(state, 'wiki', page, { user: owner, type: 'create', date: created });
    page.content = paragraphs(id * 7 + 1, 4 + (id % 5));
    page.modified_date = modified;
    recordHistory(state, 'wiki', page, { user: owner, comment: sentence(random(id)), date: modified });
  }
  state.setLastId('wikipage', 17);
  const base = Date.parse('2026-11-21T02:42:05.113Z');
  PROJECT1_LINKS.forEach((title, i) => {
    const id = i + 1;
    state.wikiLinks.set(id, { id, project: 1, title, href: slugify(title), order: base + i * 450 });
  });
  for (let id = 13; id <= 31; id++) {
    const project = [2, 3, 4, 7][id % 4]!;
    const title = sentence(random(id * 13), 1 + (id % 3)).replace(/\.$/, '').toLowerCase();
    state.wikiLinks.set(id, { id, project, title, href: slugify(title), order: base + id * 1000 });
  }
  state.setLastId('wikilink', 31);
}
