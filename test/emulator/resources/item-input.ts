// Input validation of epic, task and issue writes, DRF-style: every field is
// checked and the errors are reported together as `{field: [messages]}`.
import type { Ctx } from '../context.js';
import { fieldErrors } from '../http.js';
import type { ChoiceKind, Project } from '../types.js';
import { pkError } from './lookup.js';
import { parseTags, toBool, validateDueDate } from './story-input.js';

export class Checker {
  readonly errors: Record<string, string[]> = {};
  constructor(private readonly ctx: Ctx, readonly body: Record<string, unknown>) {}

  has(field: string): boolean {
    return field in this.body;
  }
  fail(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }
  /** Throws the collected field errors, if any. */
  done(): void {
    if (Object.keys(this.errors).length) throw fieldErrors(this.errors);
  }

  /** A required text field; whitespace is accepted (README #9). */
  requiredText(field: string): void {
    const v = this.body[field];
    if (v === undefined || v === null || v === '') this.fail(field, 'This field is required.');
  }

  /** A related pk: undefined when absent, null when sent as null, the id otherwise (or an error). */
  pk(field: string, exists: (id: number) => boolean, required = false): number | null | undefined {
    if (!this.has(field)) {
      if (required) this.fail(field, 'This field is required.');
      return undefined;
    }
    const v = this.body[field];
    if (v === null || v === '') {
      if (required) this.fail(field, 'This field is required.');
      return null;
    }
    const err = pkError(v);
    if (err) return void this.fail(field, err);
    if (!exists(Number(v))) return void this.fail(field, `Invalid pk '${String(v)}' - object does not exist.`);
    return Number(v);
  }

  project(required: boolean): Project | undefined {
    const id = this.pk('project', (pid) => this.ctx.state.projects.has(pid), required);
    return typeof id === 'number' ? this.ctx.state.projects.get(id) : undefined;
  }

  choice(field: string, kind: ChoiceKind): number | null | undefined {
    return this.pk(field, (id) => this.ctx.state.choice(kind, id) !== undefined);
  }

  /** `assigned_to`: an existing user who is a member of the project. */
  member(field: string, project: Project | undefined): number | null | undefined {
    const id = this.pk(field, (uid) => this.ctx.state.users.has(uid));
    if (typeof id === 'number' && project && !this.ctx.state.membership(project.id, id)) {
      this.fail(field, 'The user must be a project member.');
      return undefined;
    }
    return id;
  }

  watchers(project: Project | undefined): number[] | undefined {
    const raw = this.body['watchers'];
    if (!this.has('watchers') || !Array.isArray(raw)) return undefined;
    const ids = raw.map(Number);
    if (project && ids.some((u) => !this.ctx.state.membership(project.id, u) && !project.watchers.includes(u))) {
      this.fail('watchers', 'Watchers contains invalid users');
    }
    return ids;
  }

  tags(): [string, string | null][] | undefined {
    if (!this.has('tags')) return undefined;
    const parsed = parseTags(this.body['tags']);
    if (typeof parsed === 'string') return void this.fail('tags', parsed);
    return parsed;
  }

  dueDate(): string | null | undefined {
    if (!this.has('due_date')) return undefined;
    try {
      return validateDueDate(this.body['due_date']);
    } catch {
      return void this.fail('due_date', 'Date has wrong format. Use one of these formats instead: YYYY[-MM[-DD]]');
    }
  }

  /** `version` is a model field too: its type errors are list-shaped, unlike the OCC ones. */
  version(): void {
    if (!this.has('version')) return;
    const v = this.body['version'];
    if (v === null) this.fail('version', 'This field cannot be null.');
    else if (!/^-?\d+$/.test(String(v).trim())) this.fail('version', 'Enter a whole number.');
  }

  text(field: string): string | undefined {
    return this.has(field) ? String(this.body[field] ?? '') : undefined;
  }
  flag(field: string): boolean | undefined {
    return this.has(field) ? toBool(this.body[field]) : undefined;
  }
  integer(field: string): number | undefined {
    if (!this.has(field) || this.body[field] === null) return undefined;
    const n = Number(this.body[field]);
    if (!Number.isInteger(n)) return void this.fail(field, 'Enter a whole number.');
    return n;
  }

  /** An IntegerField of a bulk body. */
  int(field: string, required = true): number | undefined {
    const v = this.body[field];
    if (v === undefined || v === null || v === '') return void (required && this.fail(field, 'This field is required.'));
    if (!/^-?\d+$/.test(String(v).trim())) return void this.fail(field, 'Enter a whole number.');
    return Number(v);
  }

  /** `project_id` of a bulk body (ProjectExistsValidator). */
  projectId(): Project | undefined {
    const id = this.int('project_id');
    if (id === undefined) return undefined;
    const project = this.ctx.state.projects.get(id);
    if (!project) this.fail('project_id', "There's no project with that id");
    return project;
  }

  /** A required text of subjects, one per line: lines are trimmed and blank ones skipped. */
  lines(field: string): string[] | undefined {
    const v = this.body[field];
    if (typeof v !== 'string' || v === '') return void this.fail(field, 'This field is required.');
    return v.split('\n').map((l) => l.trim()).filter(Boolean);
  }
}
