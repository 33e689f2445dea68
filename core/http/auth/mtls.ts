import type { TLSSocket } from 'node:tls';
import type { HttpConfig } from '../../config/http-schema.js';

type From = NonNullable<HttpConfig['auth']['mtls']>['principalFrom'];
const SAN_PREFIX: Record<Exclude<From, 'cn'>, string> = { 'san-dns': 'DNS:', 'san-email': 'email:', 'san-uri': 'URI:' };

/**
 * The principal of a client certificate that chains to the configured client CA, namespaced
 * `mtls:`; undefined when there is none or it did not verify (the TLS layer lets it through so
 * that the answer is a 401 the client can read, not a failed handshake).
 */
export function certificatePrincipal(socket: TLSSocket, from: From): string | undefined {
  // `authorized` is true only on a TLS socket whose peer sent a certificate that chains to the CA.
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  let name: string | undefined;
  if (from === 'cn') {
    const cn = cert.subject?.CN as string | string[] | undefined;
    name = Array.isArray(cn) ? cn[0] : cn;
  } else {
    const prefix = SAN_PREFIX[from];
    // Node joins the names with ", " and quotes (JSON) a name that holds a comma or a quote.
    name = cert.subjectaltname
      ?.split(', ')
      .find((entry) => entry.startsWith(prefix))
      ?.slice(prefix.length);
  }
  return name && name.length <= 200 ? `mtls:${name}` : undefined;
}
