import type { Config } from './config/schema.js';
import type { Logger } from './logger.js';

/**
 * With no Taiga configured, serve against the Taiga emulator of the test tree with its
 * sample data, so that `npm start` works out of the box. Said loudly on stderr.
 */
export async function startDemoTaiga(config: Config, logger: Logger): Promise<{ config: Config; emulator: { url: string; close(): Promise<void> } }> {
  const modulePath = new URL('../test/emulator/index.js', import.meta.url).href;
  const { startEmulator } = (await import(modulePath)) as { startEmulator: () => Promise<{ url: string; close(): Promise<void> }> };
  const emulator = await startEmulator();
  logger.warn({ taiga: emulator.url, user: 'admin' }, 'no Taiga configured (TAIGA_API_URL): serving the built-in DEMO Taiga emulator with sample data');
  return {
    config: { ...config, taiga: { ...config.taiga, url: emulator.url, allowHttp: true, username: 'admin', password: 'taigaadmin', token: undefined } },
    emulator,
  };
}
