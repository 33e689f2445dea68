import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';
import { TaigaMcpError } from '../errors.js';
import type { HttpConfig } from '../config/http-schema.js';

/** The certificate, key and client CA from their files; read again on SIGHUP (see serve.ts). */
export function readTlsFiles(tls: NonNullable<HttpConfig['tls']>): SecureContextOptions {
  const read = (key: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new TaigaMcpError('CONFIG_INVALID', { message: `http.tls.${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  };
  return { cert: read('cert', tls.cert), key: read('key', tls.key), ...(tls.clientCa && { ca: read('clientCa', tls.clientCa) }) };
}
