import type { App } from '../app.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | 'failing'>;
}

/** How long one answer stands: a scraper polling every second must not become Taiga's load. */
const CACHE_MS = 2000;
const PROBE_TIMEOUT_MS = 3000;

/** /readyz: Taiga answers its API root, and the store answers when it is one that can be away. */
export function readinessProbe(app: App): () => Promise<Readiness> {
  let last: { at: number; value: Promise<Readiness> } | undefined;
  const probe = async (): Promise<Readiness> => {
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    const [taiga, storeOk] = await Promise.all([
      app.hosts.client().ping(signal).then(() => true, () => false),
      app.store.ready().catch(() => false),
    ]);
    const checks: Readiness['checks'] = { taiga: taiga ? 'ok' : 'failing', store: storeOk ? 'ok' : 'failing' };
    return { ready: taiga && storeOk, checks };
  };
  return () => {
    const now = Date.now();
    if (!last || now - last.at > CACHE_MS) last = { at: now, value: probe() };
    return last.value;
  };
}
