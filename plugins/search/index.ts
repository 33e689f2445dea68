import { definePlugin } from '../../core/plugin/define.js';
import { search } from './tools/search.js';
import { unwatch, watch } from './tools/watch.js';
import { editTags } from './tools/edit-tags.js';
import { addWatchers, listWatchers } from './tools/watchers.js';
import { unvote, vote } from './tools/vote.js';

export default definePlugin({
  name: 'search',
  version: '1.0.0',
  core: '^1.1.0',
  description: 'Search a project; watchers and votes; add and remove tags.',
  dependencies: ['projects'],
  toolset: { id: 'search', description: 'Search, watchers, votes and tags', default: false },
  tools: [search, watch, unwatch, editTags, addWatchers, listWatchers, vote, unvote],
});
