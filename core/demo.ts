import type { Config } from './config/schema.js';
import type { Logger } from './logger.js';

interface DemoEmulator { url: string; close(): Promise<void> }

/**
 * `--demo`: serve against the Taiga emulator with its sample data (user `admin`), shipped in the
 * package under dist/demo. Only on request, and said loudly on stderr: a misspelled variable must
 * never end up serving fake data.
 */
export async function startDemoTaiga(config: Config, logger: Logger): Promise<{ config: Config; emulator: DemoEmulator }> {
  const modulePath = new URL('../demo/emulator/index.js', import.meta.url).href;
  const { startEmulator } = (await import(modulePath)) as { startEmulator: (opts: { record: boolean }) => Promise<DemoEmulator> };
  const emulator = await startEmulator({ record: false });
  if (config.taiga.url) logger.warn({ ignored: 'taiga.url' }, '--demo: the configured Taiga is ignored');
  logger.warn({ taiga: emulator.url, user: 'admin' }, 'DEMO mode: serving the built-in Taiga emulator with sample data, not a real Taiga');
  const { token: _t, refreshToken: _r, applicationToken: _a, ...taiga } = config.taiga;
  return { config: { ...config, taiga: { ...taiga, url: emulator.url, allowHttp: true, username: 'admin', password: 'taigaadmin' } }, emulator };
}

/** `taiga-mcp demo-taiga [PORT]`: the demo Taiga alone, for several instances to share (see examples/deploy). */
export async function runDemoTaiga(port: number, print: (text: string) => void): Promise<void> {
  const modulePath = new URL('../demo/emulator/index.js', import.meta.url).href;
  const { startEmulator } = (await import(modulePath)) as { startEmulator: (opts: { record: boolean; port: number }) => Promise<DemoEmulator> };
  const emulator = await startEmulator({ record: false, port });
  print(`DEMO Taiga (sample data, not a real Taiga) at ${emulator.url}; users admin/taigaadmin and user1…user9/123123. Ctrl-C stops it.`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
