// Cost per intent (issue 16 "Cost per intent"): the seven intents of a team's day, each driven the
// shortest way the tools allow, as tool calls and o200k tokens of the text the agent reads.
// `node dist/test/bench/intents.js [--baseline=<checkout>]` prints a markdown table and one JSON line;
// a baseline (another checkout, built) is measured the same way, beside it: the cost before a change.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/stdio-harness.js';

export interface Cost { calls: number; tokens: number }
type Way = (call: (tool: string, args: Record<string, unknown>) => Promise<CallToolResult>) => Promise<void>;
type Start = (opts: HarnessOptions) => Promise<Harness>;

/** The seed's newest issues are of 2026-11-21; "the last 30 days" counted back from the day after. */
const SINCE = '2026-10-22';
/** The day the seed's activity happened: "today" for the timeline. */
const TODAY = '2026-11-21';

/** Each way uses only arguments every server since the filters merge takes, so a baseline runs it too. */
export const INTENTS: ReadonlyArray<{ intent: string; way: Way }> = [
  { intent: 'my open tasks (all projects)', way: async (call) => void (await call('list_my_work', { kinds: ['tasks'] })) },
  { intent: 'move a story', way: async (call) => void (await call('update_user_story', { user_story_id: '#5', project_id: 'project-1', status: 'Done' })) },
  {
    intent: 'High issues of the last 30 days, newest first',
    way: async (call) => void (await call('list_issues', { project_id: 'project-1', priority: 'High', created: `${SINCE}..`, order_by: '-created_date', page_size: 100 })),
  },
  { intent: 'sprint and closed points', way: async (call) => void (await call('get_sprint', { sprint_id: 1 })) },
  { intent: 'assign a task', way: async (call) => void (await call('assign_task', { task_id: '#3', project_id: 'project-1', user_id: 'user4' })) },
  { intent: 'my work in all projects', way: async (call) => void (await call('list_my_work', { page_size: 100 })) },
  { intent: 'what changed today', way: async (call) => void (await call('get_timeline', { project_id: 'project-1', since: TODAY })) },
];

export async function measureIntents(start: Start = startHarness): Promise<Array<{ intent: string } & Cost>> {
  const h = await start({ env: { TAIGA_TOOLSETS: 'all', TOOL_CALL_BURST: '100000', TOOL_CALLS_PER_SECOND: '100000', LOG_LEVEL: 'warn' } });
  try {
    const rows = [];
    for (const { intent, way } of INTENTS) {
      const cost: Cost = { calls: 0, tokens: 0 };
      h.emulator.reset();
      await way(async (tool, args) => {
        const result = await h.call(tool, args);
        if (result.isError) throw new Error(`${intent}: ${tool} failed: ${JSON.stringify(result.content)}`);
        cost.calls += 1;
        cost.tokens += result.content.reduce((n, c) => n + (c.type === 'text' ? encode(c.text).length : 0), 0);
        return result;
      });
      rows.push({ intent, ...cost });
    }
    return rows;
  } finally {
    await h.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const baseline = process.argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
  const now = await measureIntents();
  const before = baseline ? await measureIntents(((await import(`${baseline}/dist/test/helpers/stdio-harness.js`)) as { startHarness: Start }).startHarness) : undefined;
  const cell = (c?: Cost) => (c ? `${c.calls} / ${c.tokens}` : '');
  console.log(`| intent |${before ? ' baseline: calls / tokens |' : ''} calls / tokens |\n|---|${before ? '---|' : ''}---|`);
  for (const [i, r] of now.entries()) console.log(`| ${r.intent} |${before ? ` ${cell(before[i])} |` : ''} ${cell(r)} |`);
  const sum = (rows: Cost[]) => rows.reduce((a, r) => ({ calls: a.calls + r.calls, tokens: a.tokens + r.tokens }), { calls: 0, tokens: 0 });
  console.log(`| all seven |${before ? ` ${cell(sum(before))} |` : ''} ${cell(sum(now))} |`);
  console.log(`INTENTS_JSON ${JSON.stringify({ now, ...(before && { baseline: before }) })}`);
}
