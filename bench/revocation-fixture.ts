/**
 * What the verification rows need besides the card: a root and an issuing CA of the bench's own
 * (RSA-2048, as AD CS), CRLs of the issuing CA with 0, 1,000 and 100,000 revoked serials (and
 * the root's, empty), and certificates for the card's key issued on demand, each with a new
 * serial, so a verifier sees each one for the first time.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { buildCrl, type Revocation } from '../src/enrollment/ca/crl.js';
import {
  createHierarchy,
  type SigningCa,
  signCertificate,
} from '../src/enrollment/ca/signing-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  keyUsageExtension,
  randomSerial,
  subjectAltNameExtension,
} from '../src/enrollment/ca/x509.js';
import { OID } from '../src/enrollment/oids.js';
import { toHex } from '../src/lib/bytes.js';
import type { Fixture } from './fixture.js';

const DAY = 86_400_000;

/** The CRL sizes the verification rows are measured at. */
export const CRL_SIZES = [0, 1_000, 100_000] as const;

export interface RevocationFixture {
  readonly root: Uint8Array;
  readonly issuing: Uint8Array;
  readonly issuer: SigningCa;
  /** The issuing CA's CRL by the number of revoked serials it lists. */
  readonly crls: ReadonlyMap<number, Uint8Array>;
  /** The root's CRL (empty). */
  readonly rootCrl: Uint8Array;
  /** A new certificate for the card's key (new serial), not listed on any CRL. */
  issue(): Promise<Uint8Array>;
}

/** `count` revocations of random 16-byte serials, as the CA makes them. */
export function revocations(count: number, now: number): Revocation[] {
  const bytes = randomBytes(16 * count);
  const out: Revocation[] = [];
  for (let i = 0; i < count; i++) {
    const serial = bytes.subarray(16 * i, 16 * i + 16);
    serial[0] = ((serial[0] as number) & 0x7f) | 0x01;
    out.push({
      serialNumber: toHex(serial),
      date: now - DAY + i,
      reason: i % 4 === 0 ? 'keyCompromise' : 'unspecified',
    });
  }
  return out;
}

export async function makeRevocationFixture(fixture: Fixture): Promise<RevocationFixture> {
  const now = Date.now();
  const { root, issuer } = await createHierarchy({
    crypto,
    keyAlgorithm: 'RSA-2048',
    rootName: 'Bench Root CA',
    issuingName: 'Bench Issuing CA',
    rootCrlUrl: 'http://pki.bench.test/root.crl',
    now,
  });
  const crls = new Map<number, Uint8Array>();
  for (const size of CRL_SIZES) {
    const revoked = revocations(size, now);
    crls.set(size, await buildCrl({ issuer, revoked, crlNumber: 1, now, validityDays: 7 }));
  }
  const rootCrl = await buildCrl({ issuer: root, revoked: [], crlNumber: 1, now, validityDays: 7 });
  const spki = new X509Certificate(fixture.certificate).publicKey.export({
    format: 'der',
    type: 'spki',
  });
  const subject = distinguishedName([{ type: OID.commonName, value: 'Alice' }]);
  const extensions = [
    basicConstraintsExtension(false),
    keyUsageExtension(['digitalSignature']),
    extendedKeyUsageExtension([OID.smartcardLogon]),
    authorityKeyIdentifierExtension(issuer.keyIdentifier),
    ...[subjectAltNameExtension({ upn: fixture.address, email: undefined })].filter(
      (e) => e !== undefined,
    ),
  ];
  return {
    root: root.certificate,
    issuing: issuer.certificate,
    issuer,
    crls,
    rootCrl,
    issue: () =>
      signCertificate(issuer, {
        serial: randomSerial(crypto),
        subject,
        spki: new Uint8Array(spki),
        notBefore: now - DAY,
        notAfter: now + 30 * DAY,
        extensions,
      }),
  };
}
