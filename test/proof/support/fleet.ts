import type { Emulator } from '../../emulator/index.js';
import { startHarness, type Harness } from '../../helpers/stdio-harness.js';

/**
 * `count` MCP clients, each with its own server process over stdio (stdio is one client per
 * process), all on one emulator. Started in batches: twenty cold starts at once on two cores
 * would only queue behind each other.
 */
export async function startFleet(emulator: Emulator, count: number, env: Record<string, string>, batch = 5): Promise<Harness[]> {
  const fleet: Harness[] = [];
  try {
    for (let i = 0; i < count; i += batch) {
      fleet.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => startHarness({ emulator, env })))));
    }
  } catch (err) {
    await closeFleet(fleet);
    throw err;
  }
  return fleet;
}

export async function closeFleet(fleet: readonly Harness[]): Promise<void> {
  await Promise.allSettled(fleet.map((h) => h.close()));
}
