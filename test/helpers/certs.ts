import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  ca: Pem;
  /** A CA the server does not trust, for a client certificate that must be refused. */
  rogueCa: Pem;
  /** Server certificate for 127.0.0.1 and localhost, signed by `ca`; `alsoClient`: usable as a client certificate too (Redis cluster nodes present theirs to each other). */
  server(name?: string, alsoClient?: boolean): Pem;
  /** Client certificate with this CN and these SANs (by default an e-mail one; '' for none), signed by `ca` or by `rogueCa`. */
  client(cn: string, by?: 'ca' | 'rogue', sans?: string): Pem;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

/** Certificates made with the system's openssl for one test run, in a temporary directory. */
export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-pki-'));
  let serial = 1;
  const pem = (base: string): Pem => ({ certFile: join(dir, `${base}.pem`), keyFile: join(dir, `${base}.key`), cert: readFileSync(join(dir, `${base}.pem`), 'utf8'), key: readFileSync(join(dir, `${base}.key`), 'utf8') });
  const makeCa = (base: string): Pem => {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.pem`, '-subj', `/CN=${base}`, '-days', '2'], dir);
    return pem(base);
  };
  const issue = (base: string, subject: string, ext: string, by: Pem): Pem => {
    writeFileSync(join(dir, `${base}.ext`), ext);
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subject], dir);
    openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', by.certFile, '-CAkey', by.keyFile, '-set_serial', String((serial += 1)), '-out', `${base}.pem`, '-days', '2', '-extfile', `${base}.ext`], dir);
    return pem(base);
  };
  const ca = makeCa('test-ca');
  const rogueCa = makeCa('rogue-ca');
  return {
    dir,
    ca,
    rogueCa,
    server: (name = 'server', alsoClient = false) => issue(name, `/CN=${name}`, `subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth${alsoClient ? ',clientAuth' : ''}\n`, ca),
    client: (cn, by = 'ca', sans = `email:${cn}@example.com`) => issue(`client-${cn}-${by}-${serial}`, `/CN=${cn}`, `${sans ? `subjectAltName=${sans}\n` : ''}extendedKeyUsage=clientAuth\n`, by === 'ca' ? ca : rogueCa),
  };
}
