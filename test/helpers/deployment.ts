import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { freePort, testRedisUrl } from './redis-server.js';
import { rawRequest, startHttpMcp, type HttpMcp } from './http-server.js';
import { installPackedPackage } from './installed-package.js';

/** The documented deployment's files (README: "Team deployment"). */
export const DEPLOY_DIR = fileURLToPath(new URL('../../../examples/deploy/', import.meta.url));

export interface Deployment {
  emulator: Emulator;
  /** Two instances sharing one Redis, each with its ops listener (health and metrics) on a port of its own. */
  instances: HttpMcp[];
  /** The load balancer's `/mcp`. */
  lbUrl: string;
  /** An API key of principal alice, accepted by both instances. */
  key: string;
  stop(): Promise<void>;
}

/** The example nginx config with this run's ports: the only change. */
function nginxConfig(lb: number, a: number, b: number): string {
  const text = readFileSync(join(DEPLOY_DIR, 'nginx.conf'), 'utf8');
  for (const port of ['8800', '8801', '8802']) assert.ok(text.includes(`127.0.0.1:${port}`), `the example listens on or proxies to ${port}`);
  return text.replaceAll('127.0.0.1:8800', `127.0.0.1:${lb}`).replaceAll('127.0.0.1:8801', `127.0.0.1:${a}`).replaceAll('127.0.0.1:8802', `127.0.0.1:${b}`);
}

/**
 * examples/deploy/ as start.sh runs it, on free loopback ports: the emulator as Taiga, a real Redis,
 * two instances of the installed package and a real nginx in front of them. Fails (never skips) without nginx.
 */
export async function startDeployment(): Promise<Deployment> {
  const emulator = await startEmulator();
  const redis = await testRedisUrl();
  const key = newApiKey();
  const [lb, a, b, opsA, opsB] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const { bin } = await installPackedPackage();
  const shared = {
    emulator,
    bin,
    env: { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') },
    config: { store: { kind: 'redis', url: redis, keyPrefix: `lb${randomBytes(4).toString('hex')}:` } },
  };
  const http = (ops: number) => ({ publicUrl: `http://127.0.0.1:${lb}`, ops: { host: '127.0.0.1', port: ops }, auth: { apiKeys: [{ sha256: key.sha256, principal: 'alice' }] } });
  const instances = await Promise.all([startHttpMcp({ ...shared, http: http(opsA), listen: `127.0.0.1:${a}` }), startHttpMcp({ ...shared, http: http(opsB), listen: `127.0.0.1:${b}` })]);
  const prefix = mkdtempSync(join(tmpdir(), 'taiga-mcp-nginx-'));
  mkdirSync(join(prefix, 'tmp'));
  writeFileSync(join(prefix, 'nginx.conf'), nginxConfig(lb, a, b));
  // `.ci/run` installs nginx (apt-get install -y nginx).
  const nginx: ChildProcess = spawn('nginx', ['-p', prefix, '-c', 'nginx.conf'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let nginxLog = '';
  nginx.stderr!.on('data', (c: Buffer) => (nginxLog += c.toString()));
  const stop = async (): Promise<void> => {
    nginx.kill('SIGTERM');
    await Promise.all(instances.map((i) => i.stop()));
    await emulator.close();
  };
  try {
    const started = await new Promise<boolean>((resolve) => {
      nginx.once('error', () => resolve(false));
      nginx.once('spawn', () => resolve(true));
    });
    assert.ok(started, 'nginx is not installed: apt-get install -y nginx');
    for (let i = 0; ; i++) {
      const up = await rawRequest(`http://127.0.0.1:${lb}/healthz`, { method: 'GET' }).catch(() => undefined);
      if (up?.status === 200) break;
      assert.ok(i < 100 && nginx.exitCode === null, `nginx did not come up: ${nginxLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { emulator, instances, lbUrl: `http://127.0.0.1:${lb}/mcp`, key: key.key, stop };
}
