/**
 * The HTTPS server's own certificate, made with OpenSSL: a throwaway TLS CA (which the browser's
 * NSS database trusts) and a certificate for IP 127.0.0.1 from it, P-256 keys. The server's side
 * of TLS is not what the test is about; the client certificate is the card's, from the SDK's CA.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl } from '../../support/openssl.js';

/** Writes tls-ca.crt, server.key and server.crt into `folder`; answers the CA's PEM file. */
export function makeServerCertificate(folder: string): string {
  const at = (name: string) => join(folder, name);
  const p256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...p256,
    '-keyout',
    at('tls-ca.key'),
    '-out',
    at('tls-ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=smartcard-2fa test TLS CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  openssl(
    'req',
    '-new',
    ...p256,
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(
    at('server.ext'),
    [
      'subjectAltName=IP:127.0.0.1',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('tls-ca.crt'),
    '-CAkey',
    at('tls-ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    at('server.ext'),
    '-out',
    at('server.crt'),
  );
  return at('tls-ca.crt');
}
