/**
 * The mTLS tests' PKI: Contoso's CA (root + issuing, P-256) with the Smartcard Logon template
 * and a Client-Authentication-only one, certificates issued through the SDK's enrollment to
 * test cards whose keys are the kit's fixture keys (so the TLS client can hold the private key
 * in software), another CA, and a server certificate for 127.0.0.1.
 */

import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  CertificateAuthority,
  type CertificateTemplate,
  type DirectoryEntry,
  EnrollmentBuilder,
  enrollCard,
  SmartcardLogonTemplate,
} from '../../../src/enrollment/index.js';
import { createTestCard, fixturePkcs8 } from '../../../src/testing/index.js';
import { openssl, scratch } from '../../support/openssl.js';

export const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
  sid: 'S-1-5-21-1004336348-1177238915-682003330-1105',
} as const satisfies DirectoryEntry;
/** A user with an e-mail address and no UPN. */
export const CAROL = {
  account: 'CONTOSO\\carol',
  commonName: 'Carol Example',
  email: 'carol@contoso.com',
} as const satisfies DirectoryEntry;
export const BOB = {
  account: 'CONTOSO\\bob',
  commonName: 'Bob Example',
  upn: 'bob@contoso.com',
} as const satisfies DirectoryEntry;

/** Client Authentication only: what AD CS's "User" template gives a key kept in software. */
export const CLIENT_AUTH_ONLY: CertificateTemplate = {
  ...SmartcardLogonTemplate,
  name: 'ClientAuthOnly',
  displayName: 'Client Authentication only',
  extendedKeyUsages: ['1.3.6.1.5.5.7.3.2'],
};

/** Smart Card Logon for a user the directory knows by e-mail only: no UPN in the SAN. */
export const EMAIL_LOGON: CertificateTemplate = {
  ...SmartcardLogonTemplate,
  name: 'EmailLogon',
  displayName: 'E-mail Logon',
  requiresUpn: false,
  requiresEmail: true,
};

export const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${(
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\n')}\n-----END ${label}-----\n`;

export function makeCa(name = 'Contoso', ocspUrl?: string): Promise<CertificateAuthority> {
  return CertificateAuthority.create({
    name: `${name} Root CA`,
    issuing: { name: `${name} Issuing CA` },
    keyAlgorithm: 'ECDSA-P256',
    directory: [ALICE, BOB, CAROL],
    templates: [SmartcardLogonTemplate, CLIENT_AUTH_ONLY, EMAIL_LOGON],
    ...(ocspUrl === undefined ? {} : { ocspUrl }),
  });
}

/** A certificate and its private key (PEM), the key one of the kit's fixture P-256 keys. */
export interface SoftwareClient {
  readonly der: Uint8Array;
  readonly cert: string;
  readonly key: string;
  readonly serial: string;
}

/** Enrolls a test card for `user` from `template` and finds the fixture key it was given. */
export async function issueTo(
  ca: CertificateAuthority,
  user: DirectoryEntry,
  template: CertificateTemplate = SmartcardLogonTemplate,
): Promise<SoftwareClient> {
  const { card, pin } = await createTestCard({ kind: 'virtual' });
  let request = new EnrollmentBuilder()
    .template(template)
    .algorithm('ECDSA-P256')
    .keySpec('signature');
  if (user.upn !== undefined) request = request.upn(user.upn);
  if (user.email !== undefined) request = request.email(user.email);
  const result = await enrollCard({
    card,
    pin,
    request,
    submit: (built) => ca.issue(built, { requester: user.account }),
  });
  if (result.status !== 'installed') throw new Error(`enrollment ended ${result.status}`);
  const x509 = new X509Certificate(result.certificate);
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  for (const pkcs8 of fixturePkcs8('ECDSA-P256')) {
    const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    if (!createPublicKey(key).export({ type: 'spki', format: 'der' }).equals(spki)) continue;
    return {
      der: result.certificate,
      cert: pem('CERTIFICATE', result.certificate),
      key: key.export({ type: 'pkcs8', format: 'pem' }) as string,
      serial: x509.serialNumber.toLowerCase(),
    };
  }
  throw new Error('the card key is none of the fixture keys');
}

/** A self-signed P-256 server certificate for 127.0.0.1 (made by openssl). */
export function serverCertificate(): { key: string; cert: string } {
  const dir = scratch();
  try {
    const [key, cert] = [dir.file('server.key', ''), dir.file('server.crt', '')];
    openssl(
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
      ...['-keyout', key, '-out', cert, '-days', '2'],
      ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    dir.remove();
  }
}
