import type { ToolsetDefinition } from '../plugin/types.js';

/** Where every plugin's bulk tools go: not in `default`, one config line away. */
export const BULK_TOOLSET: ToolsetDefinition = { id: 'bulk', description: 'Bulk create and change of many items', default: false };
