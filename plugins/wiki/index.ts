import { definePlugin } from '../../core/plugin/define.js';
import { createWikiPage, deleteWikiPage, getWikiPage, listWikiPages, updateWikiPage } from './tools/wiki-pages.js';
import { addWikiLink, removeWikiLink } from './tools/wiki-links.js';

import { wikiResource } from './resource.js';

export default definePlugin({
  name: 'wiki',
  version: '1.0.0',
  core: '^1.2.0',
  description: 'Taiga wiki pages (versioned) and the wiki sidebar links.',
  dependencies: ['projects'],
  toolset: { id: 'wiki', description: 'Wiki pages and links', default: false },
  resources: [wikiResource],
  tools: [listWikiPages, getWikiPage, createWikiPage, updateWikiPage, deleteWikiPage, addWikiLink, removeWikiLink],
});
