// A view's side of MCP Apps: the official App class talks to the host over postMessage. A view
// renders from the result the host hands it (the tool's structuredContent, what the model saw) and
// fetches anything else only by asking the host to call a tool of this server.
import { App, applyDocumentTheme, applyHostFonts, applyHostStyleVariables, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import { h } from './dom.js';

export type Outcome<T> = { ok: true; data: T } | { ok: false; code: string; message: string; details?: Record<string, unknown> };

export interface ViewHost {
  /** Whether the server offers a tool (the server writes the enabled ones into the page it serves). */
  can(tool: string): boolean;
  /** A tool of this server, called through the host: its structuredContent, or its coded error. */
  call<T>(tool: string, args: Record<string, unknown>): Promise<Outcome<T>>;
}

export interface ToolShown {
  /** The arguments the tool was called with. */
  args: Record<string, unknown>;
  outcome: Outcome<Record<string, unknown>>;
}

interface ResultLike {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content?: Array<{ type: string; text?: string }>;
}

/** A tool result as data: taiga-mcp's failures carry `{"error": {code, message, details}}` as their text. */
export function outcomeOf<T>(result: ResultLike): Outcome<T> {
  if (!result.isError) return { ok: true, data: (result.structuredContent ?? {}) as T };
  const text = result.content?.find((c) => c.type === 'text')?.text ?? '';
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string; details?: Record<string, unknown> } };
    return { ok: false, code: error.code, message: error.message, ...(error.details && { details: error.details }) };
  } catch {
    return { ok: false, code: 'ERROR', message: text || 'The tool failed.' };
  }
}

function applyContext(ctx: McpUiHostContext | undefined): void {
  if (!ctx) return;
  if (ctx.theme) applyDocumentTheme(ctx.theme);
  if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
  if (ctx.styles?.css?.fonts) applyHostFonts(ctx.styles.css.fonts);
}

const enabledTools = (): Set<string> => new Set((document.documentElement.dataset['taigaTools'] ?? '').split(' ').filter(Boolean));

/**
 * Connects the view to its host and calls `show` with each tool result the host sends (the first,
 * and any later one when the host reuses the view). The handlers are set before connecting, so
 * that nothing the host sends right after the handshake is missed.
 */
export function startView(name: string, show: (shown: ToolShown, host: ViewHost, root: HTMLElement) => void | Promise<void>): void {
  const root = document.getElementById('app')!;
  const app = new App({ name: `taiga-mcp ${name} view`, version: '1.0.0' }, {}, { autoResize: true });
  const tools = enabledTools();
  const host: ViewHost = {
    can: (tool) => tools.has(tool),
    async call<T>(tool: string, args: Record<string, unknown>): Promise<Outcome<T>> {
      if (!tools.has(tool)) return { ok: false, code: 'UNAVAILABLE', message: `${tool} is not enabled on this server.` };
      try {
        return outcomeOf<T>((await app.callServerTool({ name: tool, arguments: args })) as ResultLike);
      } catch (err) {
        return { ok: false, code: 'UNAVAILABLE', message: err instanceof Error ? err.message : String(err) };
      }
    },
  };
  let args: Record<string, unknown> = {};
  app.ontoolinput = (params) => {
    args = (params.arguments ?? {}) as Record<string, unknown>;
  };
  app.ontoolresult = (result) => {
    root.removeAttribute('aria-busy');
    void Promise.resolve(show({ args, outcome: outcomeOf(result as ResultLike) }, host, root)).catch((err: unknown) => {
      root.replaceChildren(h('p', { class: 'error', text: `This view failed: ${err instanceof Error ? err.message : String(err)}` }));
    });
  };
  app.ontoolcancelled = () => {
    root.removeAttribute('aria-busy');
    root.replaceChildren(h('p', { class: 'note', text: 'The tool call was cancelled.' }));
  };
  app.onhostcontextchanged = (ctx) => applyContext(ctx);
  app.connect().then(
    () => applyContext(app.getHostContext()),
    (err: unknown) => root.replaceChildren(h('p', { class: 'error', text: `Could not reach the host: ${err instanceof Error ? err.message : String(err)}` })),
  );
}

/** The view of a failed tool call: its message, as text. */
export const failure = (o: { code: string; message: string }): HTMLElement => h('p', { class: 'error', attrs: { role: 'alert' } }, h('strong', { text: o.code }), ' ', o.message);
