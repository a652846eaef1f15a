/**
 * The PKI of the Kerberos tests: the embedded CA (a root and an issuing CA) with a directory of
 * Alice and the domain controller DC1, and the KDC's certificate from the "Kerberos
 * Authentication" template for a software key OpenSSL makes. Writes the files the KDC reads.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CertificateAuthority,
  KerberosAuthenticationTemplate,
  SmartcardUserTemplate,
} from '../../../src/enrollment/index.js';

export const REALM = 'CONTOSO.TEST';
/** Alice: her UPN names her principal, alice@CONTOSO.TEST. */
export const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: `alice@${REALM}`,
  email: 'alice@contoso.test',
} as const;
export const DOMAIN_CONTROLLER = {
  account: 'CONTOSO\\DC1$',
  commonName: 'dc1',
  domainComponents: ['contoso', 'test'],
} as const;

/** The files of a KDC's PKINIT setup, as scripts/kerberos/start-kdc.sh reads them. */
export interface KdcPki {
  readonly ca: CertificateAuthority;
  /** The KDC's certificate, DER. */
  readonly kdcCertificate: Uint8Array;
}

function run(command: string, args: readonly string[]): void {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${done.stderr}`);
}

/**
 * Makes the CA and the KDC's certificate and writes to `dir` what start-kdc.sh reads:
 * kdc-key.pem, kdc.pem, ca-root.pem, ca-issuer.pem.
 */
export async function makeKdcPki(dir: string): Promise<KdcPki> {
  const ca = await CertificateAuthority.create({
    name: 'Contoso Test Root CA',
    issuing: { name: 'Contoso Test Issuing CA' },
    templates: [SmartcardUserTemplate, KerberosAuthenticationTemplate],
    directory: [ALICE, DOMAIN_CONTROLLER],
  });
  const key = join(dir, 'kdc-key.pem');
  const request = join(dir, 'kdc.csr');
  run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]);
  run('openssl', ['req', '-new', '-key', key, '-subj', '/CN=dc1', '-out', request]);
  const answer = await ca.issue(readFileSync(request, 'utf8'), {
    requester: DOMAIN_CONTROLLER.account,
    template: KerberosAuthenticationTemplate.name,
  });
  if (answer.status !== 'issued') throw new Error(`KDC certificate ${answer.status}`);
  writeFileSync(join(dir, 'kdc.pem'), answer.pem);
  writeFileSync(join(dir, 'ca-root.pem'), ca.pem.root);
  writeFileSync(join(dir, 'ca-issuer.pem'), ca.pem.issuer);
  return { ca, kdcCertificate: answer.certificate };
}
