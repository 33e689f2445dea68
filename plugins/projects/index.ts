import { definePlugin } from '../../core/plugin/define.js';
import { MEMBERSHIP_FIELDS, PROJECT_FIELDS, PROJECT_UPDATE_FIELDS } from './fields.js';
import { listProjects } from './tools/list-projects.js';
import { getProject } from './tools/get-project.js';
import { createProject } from './tools/create-project.js';
import { updateProject } from './tools/update-project.js';
import { deleteProject } from './tools/delete-project.js';
import { inviteProjectUser } from './tools/invite-project-user.js';
import { removeProjectMember } from './tools/remove-project-member.js';
import { updateProjectMember } from './tools/update-project-member.js';
import { inviteProjectUsers } from './tools/invite-project-users.js';
import { resendInvitation } from './tools/resend-invitation.js';
import { getMe } from './tools/get-me.js';
import { projectResource } from './resource.js';

export default definePlugin({
  name: 'projects',
  version: '1.0.0',
  core: '^1.2.0',
  description: 'Taiga projects and their members.',
  toolset: { id: 'projects', description: 'Projects and membership', default: true },
  toolsets: [{ id: 'people', description: 'Who am I; member roles, bulk invitations', default: false }],
  fields: { project: PROJECT_FIELDS, project_update: PROJECT_UPDATE_FIELDS, membership: MEMBERSHIP_FIELDS },
  resources: [projectResource],
  tools: [listProjects, getProject, createProject, updateProject, deleteProject, inviteProjectUser, removeProjectMember, updateProjectMember, inviteProjectUsers, resendInvitation, getMe],
});
