import { definePlugin } from '../../core/plugin/define.js';
import { STORY_DETAIL_FIELDS, STORY_FIELDS, STORY_WRITE_FIELDS } from './fields.js';
import { listUserStories } from './tools/list-user-stories.js';
import { getUserStory } from './tools/get-user-story.js';
import { createUserStory } from './tools/create-user-story.js';
import { updateUserStory } from './tools/update-user-story.js';
import { deleteUserStory } from './tools/delete-user-story.js';
import { assignUserStory } from './tools/assign-user-story.js';
import { unassignUserStory } from './tools/unassign-user-story.js';
import { bulkCreateUserStories } from './tools/bulk-create-user-stories.js';
import { bulkUpdateUserStories } from './tools/bulk-update-user-stories.js';

export default definePlugin({
  name: 'user-stories',
  version: '1.0.0',
  core: '^1.0.0',
  description: 'Taiga user stories, with names and #refs, optimistic concurrency and batch changes.',
  dependencies: ['projects'],
  toolset: { id: 'user_stories', description: 'User stories', default: true },
  fields: { user_story: STORY_FIELDS, user_story_detail: STORY_DETAIL_FIELDS, user_story_write: STORY_WRITE_FIELDS },
  tools: [listUserStories, getUserStory, createUserStory, updateUserStory, deleteUserStory, assignUserStory, unassignUserStory, bulkCreateUserStories, bulkUpdateUserStories],
});
