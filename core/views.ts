import { readFileSync } from 'node:fs';
import type { ReadResourceResult, Resource } from '@modelcontextprotocol/server';

/**
 * MCP Apps (the `io.modelcontextprotocol/ui` extension): HTML views that a host which supports them
 * shows beside a tool's result. A tool's descriptor names its view in `_meta`; the view is a `ui://`
 * resource, one self-contained page built from views/ (test/build/views.ts). Hosts without MCP Apps
 * ignore `_meta` and keep the tool's text and structuredContent, which the views do not change.
 */
export const VIEW_MIME_TYPE = 'text/html;profile=mcp-app';

/** Where a built page names the tools the server offers it (filled in by ViewResources). */
export const TOOLS_PLACEHOLDER = 'data-taiga-tools=""';

export interface ViewDefinition {
  /** The page is dist/core/views/<name>.html (test/build/views.ts builds it from views/<name>/). */
  readonly name: string;
  /** Written out with `import.meta.url`, so that the package's file list (test/build/module-closure.ts) and the bundle find it. */
  readonly page: URL;
  readonly uri: string;
  readonly title: string;
  readonly description: string;
  /** Tools whose results it shows: their descriptors link to it, and it is offered while one of them is enabled. */
  readonly shows: readonly string[];
  /** Tools it may call through the host; the enabled ones are written into the page it is served as. */
  readonly calls: readonly string[];
}

export const VIEWS: readonly ViewDefinition[] = [
  {
    name: 'sprint',
    page: new URL('./views/sprint.html', import.meta.url),
    uri: 'ui://taiga-mcp/sprint',
    title: 'Sprint board',
    description: "A sprint's board (a column per user-story status; cards move by pointer or keyboard) and its burndown.",
    shows: ['get_sprint', 'move_user_stories_to_sprint'],
    calls: ['get_sprint', 'get_project', 'list_user_stories', 'list_tasks', 'update_user_story'],
  },
  {
    name: 'project',
    page: new URL('./views/project.html', import.meta.url),
    uri: 'ui://taiga-mcp/project',
    title: 'Project overview',
    description: "A project's open sprints and epics with their progress, and its issues counted by status, priority and severity.",
    shows: ['get_project'],
    calls: ['list_sprints', 'list_epics', 'list_epic_user_stories', 'list_issues'],
  },
  {
    name: 'item',
    page: new URL('./views/item.html', import.meta.url),
    uri: 'ui://taiga-mcp/item',
    title: 'Work item',
    description: 'A user story, task, issue or epic: its fields, its tasks or linked stories, its recent history and comments.',
    shows: ['get_user_story', 'get_task', 'get_issue', 'get_epic'],
    calls: ['list_tasks', 'list_epic_user_stories', 'get_history'],
  },
];

/** The views load nothing from anywhere (MCP Apps `_meta.ui.csp`: no domain for connections or resources). */
const UI_META = { ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true } };

/** A tool descriptor's link to its view: `_meta.ui.resourceUri`, and the flat key of earlier hosts. */
export function viewMetaOf(toolName: string): Record<string, unknown> | undefined {
  const view = VIEWS.find((v) => v.shows.includes(toolName));
  return view && { ui: { resourceUri: view.uri }, 'ui/resourceUri': view.uri };
}

/** The views a server offers: those that show one of its enabled tools (so toolsets, include/exclude and read-only apply). */
export class ViewResources {
  readonly #views: readonly ViewDefinition[];
  readonly #enabled: (tool: string) => boolean;
  readonly #pages = new Map<string, string>();

  constructor(enabled: (tool: string) => boolean) {
    this.#enabled = enabled;
    this.#views = VIEWS.filter((v) => v.shows.some(enabled));
  }

  list(): Resource[] {
    return this.#views.map((v) => ({ uri: v.uri, name: v.name, title: v.title, description: v.description, mimeType: VIEW_MIME_TYPE, _meta: UI_META }));
  }

  /** Exactly one content, as MCP Apps asks; undefined when the URI is not a view this server offers. */
  read(uri: string): ReadResourceResult | undefined {
    const view = this.#views.find((v) => v.uri === uri);
    if (!view) return undefined;
    return { contents: [{ uri, mimeType: VIEW_MIME_TYPE, text: this.#page(view), _meta: UI_META }] };
  }

  /** The page with the tools it may call; a read-only server's sprint board gets no update_user_story, so no card moves. */
  #page(view: ViewDefinition): string {
    let page = this.#pages.get(view.name);
    if (page === undefined) {
      const tools = view.calls.filter(this.#enabled).join(' ');
      page = readFileSync(view.page, 'utf8').replace(TOOLS_PLACEHOLDER, `data-taiga-tools="${tools}"`);
      this.#pages.set(view.name, page);
    }
    return page;
  }
}
