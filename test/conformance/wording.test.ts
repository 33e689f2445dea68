import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinPlugins } from '../../plugins/index.js';
import { describeTool } from '../../core/tool-schemas.js';
import { withArticle } from '../../core/render/english.js';

/** Every string in a value (descriptions, titles, schema texts). */
function strings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, into);
  return into;
}

/** "a issue", "a epic", "an task": an article that does not fit the word after it ("a user" does). */
const WRONG_ARTICLE = /\b(?:a (?=[aeio])|an (?=[b-df-gj-np-tv-z]))/i;

test('no tool, resource or prompt an agent reads says "a issue" or "an task"', () => {
  const texts = builtinPlugins.flatMap((p) => [
    ...p.tools.map((t) => ({ where: `tool ${t.name}`, texts: strings(describeTool(t)) })),
    ...(p.resources ?? []).map((r) => ({ where: `resource ${r.name}`, texts: [r.title, r.description] })),
    ...(p.prompts ?? []).map((pr) => ({ where: `prompt ${pr.name}`, texts: [pr.title, pr.description, ...pr.arguments.map((a) => a.description)] })),
  ]);
  assert.ok(texts.length > 80);
  const wrong = texts.flatMap(({ where, texts: t }) => t.filter((s) => WRONG_ARTICLE.test(s)).map((s) => `${where}: ${s}`));
  assert.deepEqual(wrong, []);
});

test('withArticle: "an" before a vowel sound, "a" before a consonant or a "you"', () => {
  const cases = { issue: 'an issue', epic: 'an epic', 'epic status': 'an epic status', 'issue type': 'an issue type', 'user story': 'a user story', task: 'a task', priority: 'a priority', update: 'an update', unit: 'a unit', 'Open item': 'an Open item', 'Unassigned task': 'an Unassigned task' };
  for (const [noun, said] of Object.entries(cases)) assert.equal(withArticle(noun), said);
});
