// Attachments of project 1, in the order the sample data created them (each
// story, then its tasks; the backlog stories; issues; wiki pages; epics), so
// that the recorded ids land on the recorded objects: story 1 has 1-4, task 1
// 5-8, story 2 13-14, issue 1 53, wiki page 1 95, epic 1 102-105, and the
// stories hold 32 in all. The counts the recordings do not show, and the
// texts, are made up; the files are generated text of the sample files' sizes.
// Other projects' attachments are not seeded; the id counter continues at 904.
import { createHash } from 'node:crypto';
import { textOfSize, sentence, random } from './lorem.js';
import type { State } from './state.js';
import type { AttachableKind } from './types.js';
import { attachmentPath } from './attachment-store.js';

/** The sample_data attachment files: [name, size]. */
const SAMPLE_FILES: [string, number][] = [['sample_attachment_1.txt', 289], ['sample_attachment_2.txt', 1688], ['sample_attachment_3.txt', 1178]];
const FILE_BYTES = SAMPLE_FILES.map(([, size], i) => Buffer.from(textOfSize(i + 1, size)));
const FILE_SHA1 = FILE_BYTES.map((b) => createHash('sha1').update(b).digest('hex'));

/** [kind, object id, attachment count, deprecated positions (1-based)] in creation order. */
const PROJECT1: [AttachableKind, number, number, number[]][] = [
  ['userstory', 1, 4, [1, 4]], ['task', 1, 4, []], ['task', 2, 2, []], ['task', 3, 2, [1]],
  ['userstory', 2, 2, [1, 2]], ['task', 4, 2, []], ['task', 5, 2, []], ['task', 6, 1, []],
  ['userstory', 3, 2, [1]], ['task', 7, 4, []], ['task', 8, 3, []],
  ...([[4, 1], [5, 4], [6, 1], [7, 3], [8, 3], [9, 1], [10, 2], [11, 1], [12, 4], [13, 3], [14, 1]] as const)
    .map(([id, n]): [AttachableKind, number, number, number[]] => ['userstory', id, n, id % 2 ? [1] : []]),
  ...[1, 3, 3, 2, 3, 3, 2, 3, 3, 2, 3, 3, 3, 3, 3, 2].map((n, i): [AttachableKind, number, number, number[]] => ['issue', i + 1, n, []]),
  ['wiki', 1, 1, [1]], ['wiki', 2, 2, []], ['wiki', 3, 2, []], ['wiki', 4, 2, []],
  ...Array.from({ length: 8 }, (_, i): [AttachableKind, number, number, number[]] => ['epic', i + 1, i === 0 ? 4 : 1 + (i % 4), i === 0 ? [2] : []]),
];

const MEMBERS = [5, 6, 8, 9, 10, 11, 12, 13, 14, 15];


function createdOf(state: State, kind: AttachableKind, id: number): string {
  return state.objectOf(kind, id)?.created_date ?? '2026-11-21T02:42:00.000Z';
}

export function seedAttachments(state: State): void {
  let id = 0;
  for (const [kind, objectId, count, deprecated] of PROJECT1) {
    const at = Date.parse(createdOf(state, kind, objectId));
    for (let order = 1; order <= count; order++) {
      id += 1;
      const file = id % 3;
      const [name, size] = SAMPLE_FILES[file]!;
      const path = attachmentPath(id, name);
      const bytes = FILE_BYTES[file]!;
      state.files.put(path, bytes, 'text/plain');
      const date = new Date(at + order * 3).toISOString();
      state.attachments.set(id, {
        id, kind, project: 1, object_id: objectId, owner: MEMBERS[id % MEMBERS.length]!, name, size,
        description: sentence(random(id), 3 + (id % 8)).replace(/\.$/, '').toLowerCase(), is_deprecated: deprecated.includes(order),
        from_comment: false, created_date: date, modified_date: date, order, sha1: FILE_SHA1[file]!,
        path, content_type: 'text/plain',
      });
    }
  }
  state.setLastId('attachment', 903);
}
