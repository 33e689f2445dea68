// The MCP Apps views in a real browser: Debian's Chromium driven by puppeteer-core, a host page made
// with the official AppBridge (test/browser/host-page.ts), the view's page in a sandboxed iframe.
// Tool calls the view makes through the host reach `callTool`, which tests forward to the server.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { inlineScript } from '../build/views.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Debian's chromium on PATH: the tests need it and fail (never skip) without it (.ci/run installs it). */
export function chromiumPath(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, 'chromium');
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error('chromium is not installed (apt-get install -y chromium; .ci/run installs it when missing)');
}

export interface ViewBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile and nothing that phones home. */
export async function launchBrowser(): Promise<ViewBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'taiga-mcp-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    userDataDir: profile,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

let hostScript: Promise<string> | undefined;

/** The host page's script: AppBridge and PostMessageTransport from @modelcontextprotocol/ext-apps/app-bridge, bundled once per process. */
function hostPageScript(): Promise<string> {
  hostScript ??= build({ entryPoints: [`${ROOT}test/browser/host-page.ts`], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' }).then((r) => inlineScript(r.outputFiles[0]!.text));
  return hostScript;
}

export interface ToolCallParams {
  name: string;
  arguments?: Record<string, unknown>;
}

export interface ShowOptions {
  /** The page the server serves as the view's ui:// resource. */
  html: string;
  toolInput: Record<string, unknown>;
  /** The tool's result as the server answered it. */
  toolResult: Record<string, unknown>;
  callTool(params: ToolCallParams): Promise<unknown>;
  theme?: 'light' | 'dark';
  /** Host style variables (MCP Apps' standard names). */
  variables?: Record<string, string>;
  width?: number;
}

export interface ShownView {
  page: Page;
  /** The view's own frame (the sandboxed iframe). */
  frame: Frame;
  /** Every tool call the view made through the host, in order. */
  calls: ToolCallParams[];
  /** Every URL the page or the view requested (nothing is expected). */
  requests: string[];
  /** Uncaught errors and console errors of the page and the view. */
  errors: string[];
  close(): Promise<void>;
}

const HOST_BACKGROUND = { light: '#f7f7f8', dark: '#0f0f12' };

/** Shows a view as a host would: connect the bridge, load the page, wait for it, then send the tool's input and result. */
export async function showView(vb: ViewBrowser, opts: ShowOptions): Promise<ShownView> {
  const theme = opts.theme ?? 'light';
  const page = await vb.browser.newPage();
  await page.setViewport({ width: opts.width ?? 960, height: 900 });
  const requests: string[] = [];
  page.on('request', (r) => void requests.push(r.url()));
  const errors: string[] = [];
  page.on('pageerror', (err) => void errors.push(String(err)));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  const calls: ToolCallParams[] = [];
  await page.exposeFunction('hostCallTool', async (params: ToolCallParams) => {
    calls.push(params);
    return opts.callTool(params);
  });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;padding:12px;background:${HOST_BACKGROUND[theme]}"><iframe id="view" title="view" sandbox="allow-scripts" style="display:block;border:0;width:100%;height:120px"></iframe><script>${await hostPageScript()}</script></body></html>`,
  );
  const hostContext = { theme, displayMode: 'inline', platform: 'web', ...(opts.variables && { styles: { variables: opts.variables } }) };
  await page.evaluate((mount) => (globalThis as unknown as { mountView(m: unknown): Promise<void> }).mountView(mount), { html: opts.html, hostContext, toolInput: opts.toolInput, toolResult: opts.toolResult });
  const frame = await (await page.$('#view'))!.contentFrame();
  if (!frame) throw new Error('the view iframe has no frame');
  return { page, frame, calls, requests, errors, close: () => page.close() };
}
