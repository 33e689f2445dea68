// Cost per intent (issue 16): for the intents this branch changes, the shortest way the tools
// allowed before (the same server, without the new arguments and list_my_work) and the shortest
// way now, each as tool calls and o200k tokens of the text the agent reads. Run after a build:
// `node dist/test/bench/intents.js` (prints a markdown table and one JSON line).
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, dataOf, type Harness } from '../helpers/stdio-harness.js';

interface Cost { calls: number; tokens: number }
type Way = (h: Harness, cost: Cost) => Promise<void>;

async function call(h: Harness, cost: Cost, tool: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const result = await h.call(tool, args);
  cost.calls += 1;
  cost.tokens += result.content.reduce((n, c) => n + (c.type === 'text' ? encode(c.text).length : 0), 0);
  return result;
}

const KINDS = ['user_stories', 'tasks', 'issues'];
/** The seed's newest issues are of 2026-11-21; "the last 30 days" counted back from the day after. */
const SINCE = '2026-10-22';

const INTENTS: Array<{ intent: string; before: Way; after: Way }> = [
  {
    intent: 'my open tasks (all projects)',
    before: async (h, c) => {
      const projects = dataOf<{ items: Array<{ slug: string }> }>(await call(h, c, 'list_projects', { page_size: 100 })).items;
      for (const p of projects) await call(h, c, 'list_tasks', { project_id: p.slug, assigned_to: 'me', closed: false });
    },
    after: async (h, c) => void (await call(h, c, 'list_my_work', { kinds: ['tasks'] })),
  },
  {
    intent: 'High issues of the last 30 days, newest first',
    before: async (h, c) => {
      // No date filter nor order: every High issue is read to learn its creation date.
      const page = dataOf<{ items: Array<{ id: number }> }>(await call(h, c, 'list_issues', { project_id: 'project-1', priority: 'High', page_size: 100 }));
      for (const issue of page.items) await call(h, c, 'get_issue', { issue_id: issue.id });
    },
    after: async (h, c) => void (await call(h, c, 'list_issues', { project_id: 'project-1', priority: 'High', created: `${SINCE}..`, order_by: '-created_date', page_size: 100 })),
  },
  {
    intent: 'my work in all projects',
    before: async (h, c) => {
      const projects = dataOf<{ items: Array<{ slug: string }> }>(await call(h, c, 'list_projects', { page_size: 100 })).items;
      for (const p of projects) for (const kind of KINDS) await call(h, c, `list_${kind}`, { project_id: p.slug, assigned_to: 'me', closed: false, page_size: 100 });
    },
    after: async (h, c) => void (await call(h, c, 'list_my_work', { page_size: 100 })),
  },
];

export async function measureIntents(): Promise<Array<{ intent: string; before: Cost; after: Cost }>> {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000', LOG_LEVEL: 'warn' } });
  try {
    const rows = [];
    for (const { intent, before, after } of INTENTS) {
      const b = { calls: 0, tokens: 0 };
      const a = { calls: 0, tokens: 0 };
      h.emulator.reset();
      await before(h, b);
      h.emulator.reset();
      await after(h, a);
      rows.push({ intent, before: b, after: a });
    }
    return rows;
  } finally {
    await h.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureIntents();
  console.log('| intent | before: calls / tokens | after: calls / tokens |\n|---|---|---|');
  for (const r of rows) console.log(`| ${r.intent} | ${r.before.calls} / ${r.before.tokens} | ${r.after.calls} / ${r.after.tokens} |`);
  console.log(`INTENTS_JSON ${JSON.stringify(rows)}`);
}
