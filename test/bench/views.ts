// 8. MCP Apps views: the bytes of each ui:// page a host downloads (as the built server serves it,
// and gzipped), what of it is the view's own code and what the official App class with its
// dependencies, against the same view bundled without leaving anything of the App's dependencies out.
import { gzipSync } from 'node:zlib';
import { startEmulator } from '../emulator/index.js';
import { bundleView, VIEW_NAMES } from '../build/views.js';
import { CLI, ratio, serverEnv, spawnClient } from './util.js';

export interface ViewSize {
  name: string;
  /** The page served by resources/read. */
  page_bytes: number;
  page_gzip_bytes: number;
  view_code_bytes: number;
  css_bytes: number;
  /** The App class and what it imports, as bundled into the page. */
  app_bytes: number;
  /** The same view bundled with the App's dependencies whole (the baseline). */
  untrimmed_page_bytes: number;
  untrimmed_app_bytes: number;
  ratio_page: number;
}
export interface ViewsResult {
  views: ViewSize[];
  /** Bytes of the App's bundle per package, trimmed (same for every view). */
  app_by_package: Record<string, number>;
  untrimmed_app_by_package: Record<string, number>;
}

const sumApp = (byPackage: Record<string, number>): number => Object.entries(byPackage).filter(([k]) => k !== 'view code').reduce((n, [, b]) => n + b, 0);
const withoutViewCode = (byPackage: Record<string, number>) => Object.fromEntries(Object.entries(byPackage).filter(([k]) => k !== 'view code'));

export async function measureViews(): Promise<ViewsResult> {
  const emulator = await startEmulator();
  const spawned = await spawnClient(CLI, serverEnv(emulator.url, { TAIGA_TOOLSETS: 'all' }));
  try {
    const views: ViewSize[] = [];
    let app_by_package: Record<string, number> = {};
    let untrimmed_app_by_package: Record<string, number> = {};
    for (const name of VIEW_NAMES) {
      const read = await spawned.client.readResource({ uri: `ui://taiga-mcp/${name}` });
      const page = Buffer.from(String((read.contents[0] as { text: string }).text));
      const [trimmed, whole] = await Promise.all([bundleView(name), bundleView(name, { trim: false })]);
      app_by_package = withoutViewCode(trimmed.by_package);
      untrimmed_app_by_package = withoutViewCode(whole.by_package);
      views.push({
        name,
        page_bytes: page.length,
        page_gzip_bytes: gzipSync(page).length,
        view_code_bytes: trimmed.by_package['view code'] ?? 0,
        css_bytes: trimmed.css_bytes,
        app_bytes: sumApp(trimmed.by_package),
        untrimmed_page_bytes: Buffer.byteLength(whole.html),
        untrimmed_app_bytes: sumApp(whole.by_package),
        ratio_page: ratio(page.length, Buffer.byteLength(whole.html)),
      });
    }
    return { views, app_by_package, untrimmed_app_by_package };
  } finally {
    await spawned.close();
    await emulator.close();
  }
}
