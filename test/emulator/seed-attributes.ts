// Custom attribute definitions and values. Project 1's five definitions per
// kind and the values of story, task, issue and epic 1 are as recorded
// (custom-attributes.json). Made up: the options of project 1's dropdowns
// (recorded with `extra` null), and the definitions of projects 2, 3, 4 and 7
// (ids 6-25 of each kind), among them the multiline and number types project 1
// lacks. Objects without recorded values start with an empty values row.
import type { State } from './state.js';
import type { AttributeKind, AttributeType } from './types.js';

/** [id, name, description, type, created] */
type Row = [number, string, string, AttributeType, string];
const at = (ms: number) => `2026-11-21T02:42:00.${String(ms).padStart(3, '0')}Z`;

const PROJECT1: Record<AttributeKind, Row[]> = {
  epic: [
    [1, 'corrupti totam voluptatibus', 'aut nostrum consequatur quasi odio et', 'richtext', at(667)],
    [2, 'enim similique', 'id distinctio sequi amet incidunt', 'richtext', at(668)],
    [3, 'quod', 'ratione eius necessitatibus ad quibusdam', 'dropdown', at(669)],
    [4, 'odit', 'ratione doloribus explicabo', 'date', at(669)],
    [5, 'dolores', 'nostrum asperiores eveniet libero consequuntur expedita velit accusantium', 'number', at(670)],
  ],
  userstory: [
    [1, 'facilis temporibus', 'vel omnis culpa quisquam nulla', 'richtext', at(670)],
    [2, 'pariatur', 'inventore ab iusto optio tempora hic', 'url', at(671)],
    [3, 'maiores harum ipsa', 'ex a nihil porro placeat', 'checkbox', at(672)],
    [4, 'obcaecati quaerat', 'vitae error dignissimos ipsa minus nostrum', 'richtext', at(672)],
    [5, 'eveniet', 'necessitatibus velit aliquam exercitationem debitis laboriosam', 'date', at(672)],
  ],
  task: [
    [1, 'libero', 'a sequi saepe quibusdam culpa optio accusantium minima obcaecati', 'dropdown', at(673)],
    [2, 'unde', 'laudantium totam dolorem minima nemo quaerat voluptate aliquam autem quasi distinctio inventore', 'richtext', at(674)],
    [3, 'esse omnis soluta', 'aliquid laboriosam soluta libero quo fugit molestiae impedit officia at', 'date', at(674)],
    [4, 'soluta', 'totam autem aut fuga odit', 'text', at(675)],
    [5, 'obcaecati quasi impedit', 'debitis dolorum soluta mollitia aliquid sapiente nesciunt molestias cum deserunt corporis officiis', 'richtext', at(675)],
  ],
  issue: [
    [1, 'velit', 'officiis repudiandae dignissimos similique consequatur mollitia at enim ad molestias praesentium', 'dropdown', at(676)],
    [2, 'fugiat optio consequuntur', 'minus quibusdam neque eveniet repellendus ex dolorum optio ullam vitae', 'checkbox', at(676)],
    [3, 'adipisci exercitationem', 'facere corrupti ipsa odit mollitia saepe officiis', 'dropdown', at(677)],
    [4, 'doloribus ducimus nulla', 'fugiat porro officia deleniti quidem ipsam', 'text', at(677)],
    [5, 'doloremque id', 'voluptate rem perspiciatis ipsum', 'checkbox', at(678)],
  ],
};

const OPTIONS = ['Low', 'Medium', 'High'];
const OTHER_TYPES: AttributeType[] = ['text', 'multiline', 'date', 'number', 'dropdown'];
const OTHER_PROJECTS = [2, 3, 4, 7];

/** The recorded values rows of object 1 of each kind. */
const VALUES: Record<AttributeKind, Record<string, unknown>> = {
  epic: { 1: null, 2: null },
  userstory: { 3: null, 4: null },
  task: { 3: '2027-10-15', 4: 'placeat quidem amet possimus ipsum recusandae perferendis' },
  issue: { 1: null, 2: null, 3: null, 5: null },
};

export function seedAttributes(state: State): void {
  for (const kind of Object.keys(PROJECT1) as AttributeKind[]) {
    const map = state.attributes[kind];
    for (const [id, name, description, type, created] of PROJECT1[kind]) {
      map.set(id, {
        id, kind, project: 1, name, description, type, order: 1, extra: type === 'dropdown' ? [...OPTIONS] : null,
        created_date: created, modified_date: created,
      });
    }
    OTHER_PROJECTS.forEach((project, p) => {
      OTHER_TYPES.forEach((type, i) => {
        const id = 6 + p * 5 + i;
        const created = `2026-11-21T02:42:${String(10 + p * 8).padStart(2, '0')}.${String(100 + i).padStart(3, '0')}Z`;
        map.set(id, {
          id, kind, project, name: `${type} field`, description: '', type, order: 1, extra: type === 'dropdown' ? [...OPTIONS] : null,
          created_date: created, modified_date: created,
        });
      });
    });
    state.setLastId(`${kind}_attribute`, 25);
    Object.assign(state.customValues(kind, 1).values, VALUES[kind]);
  }
}
