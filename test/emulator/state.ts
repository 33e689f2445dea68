// The in-memory database: one Map per model, id counters, the per-project
// `ref` sequence shared by epics, user stories, tasks and issues, history and
// the timeline it feeds, and the bytes of attachments.
import { AttachmentStore } from './attachment-store.js';
import { HistoryLog } from './history.js';
import { TimelineLog } from './timeline.js';
import { pushHistoryEvent } from './timeline-events.js';
import type {
  AttachableKind, Attachment, AttributeKind, Choice, ChoiceKind, CustomAttribute, CustomValues, DueDate, DueDateKind, Epic, EpicLink, Issue,
  Membership, Milestone, Project, Role, Swimlane, SwimlaneStatus, Task, User, UserStory, WikiLink, WikiPage,
} from './types.js';

export class State {
  users = new Map<number, User>();
  projects = new Map<number, Project>();
  roles = new Map<number, Role>();
  memberships = new Map<number, Membership>();
  milestones = new Map<number, Milestone>();
  epics = new Map<number, Epic>();
  tasks = new Map<number, Task>();
  issues = new Map<number, Issue>();
  stories = new Map<number, UserStory>();
  epicLinks = new Map<number, EpicLink>();
  wikiPages = new Map<number, WikiPage>();
  wikiLinks = new Map<number, WikiLink>();
  attachments = new Map<number, Attachment>();
  files: AttachmentStore;
  /** Definitions per kind: each kind has its own id sequence (userstory attribute 26 and task attribute 26 differ). */
  attributes: Record<AttributeKind, Map<number, CustomAttribute>> = { epic: new Map(), userstory: new Map(), task: new Map(), issue: new Map() };
  /** `kind:objectId` → the object's values row, created on first use as taiga-back creates it with the object. */
  private values = new Map<string, CustomValues>();
  swimlanes = new Map<number, Swimlane>();
  swimlaneStatuses = new Map<number, SwimlaneStatus>();
  /** Per kind, each with its own id sequence. */
  dueDates: Record<DueDateKind, Map<number, DueDate>> = { userstory: new Map(), task: new Map(), issue: new Map() };
  history = new HistoryLog();
  timeline = new TimelineLog();
  /** Last id used per counter name (model name or choice kind). */
  private lastIds = new Map<string, number>();
  /** Next ref per project. */
  private nextRefs = new Map<number, number>();

  constructor(opts: { maxAttachmentBytes?: number } = {}) {
    this.files = new AttachmentStore(opts.maxAttachmentBytes);
    this.history.onSave = (kind, id, entry) => pushHistoryEvent(this, kind, id, entry);
  }

  nextId(counter: string): number {
    const id = (this.lastIds.get(counter) ?? 0) + 1;
    this.lastIds.set(counter, id);
    return id;
  }
  /** Seeding sets counters so that later creates get the ids real Taiga gives. */
  setLastId(counter: string, id: number): void {
    this.lastIds.set(counter, id);
  }

  nextRef(projectId: number): number {
    const ref = this.nextRefs.get(projectId) ?? 1;
    this.nextRefs.set(projectId, ref + 1);
    return ref;
  }
  setNextRef(projectId: number, ref: number): void {
    this.nextRefs.set(projectId, ref);
  }

  choice(kind: ChoiceKind, id: number): Choice | undefined {
    const c = this.choiceMap(kind).get(id);
    return c;
  }
  choiceMap(kind: ChoiceKind): Map<number, Choice> {
    let m = this.choicesByKind.get(kind);
    if (!m) {
      m = new Map();
      this.choicesByKind.set(kind, m);
    }
    return m;
  }
  choicesOf(kind: ChoiceKind, projectId?: number): Choice[] {
    const all = [...this.choiceMap(kind).values()];
    return (projectId === undefined ? all : all.filter((c) => c.project === projectId)).sort(
      (a, b) => a.project - b.project || a.order - b.order || a.name.localeCompare(b.name),
    );
  }
  private choicesByKind = new Map<ChoiceKind, Map<number, Choice>>();

  rolesOf(projectId: number): Role[] {
    return [...this.roles.values()].filter((r) => r.project === projectId).sort((a, b) => a.order - b.order || a.id - b.id);
  }
  membershipsOf(projectId: number): Membership[] {
    return [...this.memberships.values()].filter((m) => m.project === projectId);
  }
  membership(projectId: number, userId: number | undefined): Membership | undefined {
    if (userId === undefined) return undefined;
    return this.membershipsOf(projectId).find((m) => m.user === userId);
  }
  userByLogin(login: string): User | undefined {
    const l = login.toLowerCase();
    const matches = [...this.users.values()].filter((u) => u.username.toLowerCase() === l || u.email.toLowerCase() === l);
    if (matches.length <= 1) return matches[0];
    return matches.find((u) => u.username === login || u.email === login);
  }
  storiesOf(projectId: number): UserStory[] {
    return [...this.stories.values()].filter((s) => s.project === projectId);
  }
  tasksOfStory(storyId: number): Task[] {
    return [...this.tasks.values()].filter((t) => t.user_story === storyId);
  }
  /** Links ordered like taiga-back's RelatedUserStory (user_story, order, id). */
  linksOf(filter: { epic?: number; story?: number }): EpicLink[] {
    return [...this.epicLinks.values()]
      .filter((l) => (filter.epic === undefined || l.epic === filter.epic) && (filter.story === undefined || l.user_story === filter.story))
      .sort((a, b) => a.user_story - b.user_story || a.order - b.order || a.id - b.id);
  }
  /** The epics a story belongs to, by epic id. */
  epicIdsOfStory(storyId: number): number[] {
    return this.linksOf({ story: storyId }).map((l) => l.epic).sort((a, b) => a - b);
  }

  /** A story, task, issue, epic or wiki page: what history, attachments and custom values hang off. */
  objectOf(kind: AttachableKind, id: number): UserStory | Task | Issue | Epic | WikiPage | undefined {
    const maps = { userstory: this.stories, task: this.tasks, issue: this.issues, epic: this.epics, wiki: this.wikiPages };
    return maps[kind].get(id);
  }
  /** Ordered by `order`, then id (the upload order). */
  attachmentsOf(kind: AttachableKind, objectId: number): Attachment[] {
    return [...this.attachments.values()]
      .filter((a) => a.kind === kind && a.object_id === objectId)
      .sort((a, b) => a.order - b.order || a.id - b.id);
  }
  /** A project's attribute definitions of one kind, ordered by order, name, id. */
  attributesOf(kind: AttributeKind, projectId: number): CustomAttribute[] {
    return [...this.attributes[kind].values()]
      .filter((a) => a.project === projectId)
      .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name) || a.id - b.id);
  }
  customValues(kind: AttributeKind, objectId: number): CustomValues {
    const key = `${kind}:${objectId}`;
    let row = this.values.get(key);
    if (!row) {
      row = { values: {}, version: 1 };
      this.values.set(key, row);
    }
    return row;
  }
  dropCustomValues(kind: AttributeKind, objectId: number): void {
    this.values.delete(`${kind}:${objectId}`);
  }
  /** Deleting a definition removes its key from every values row (custom-attributes/us-values-after-attr-delete). */
  forgetAttribute(kind: AttributeKind, attributeId: number): void {
    for (const [key, row] of this.values) if (key.startsWith(`${kind}:`)) delete row.values[String(attributeId)];
  }
}
