import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCrl, type CrlParams } from '../../../src/enrollment/ca/crl.js';
import {
  createSigningCa,
  type SigningCa,
  signCertificate,
} from '../../../src/enrollment/ca/signing-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  crlDistributionPointsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  keyUsageExtension,
} from '../../../src/enrollment/ca/x509.js';
import { OID } from '../../../src/enrollment/oids.js';
import { toHex } from '../../../src/lib/bytes.js';
import { sequence, tlv } from '../../../src/lib/der-write.js';
import { type Files, opensslVerdict, ourVerdict } from '../../server/path/support/crl-pki.js';
import { NOW } from '../../server/path/support/issue.js';
import { hasOpenssl, NEEDS_OPENSSL } from '../../support/openssl.js';

/**
 * The embedded CA's CRL writer can scope a CRL with an issuing distribution point and write
 * delta CRLs (removeFromCRL for a released hold). The SDK's validator and `openssl verify
 * -crl_check -extended_crl -use_deltas` read them the same way.
 */
const DAY = 86_400_000;
const URL = 'http://ca.example/issuing.crl';

let ca: SigningCa;
let leaf: Uint8Array;
let serial: string;

beforeAll(async () => {
  ca = await createSigningCa({
    crypto,
    keyAlgorithm: 'ECDSA-P256',
    commonName: 'Delta Issuing CA',
    now: NOW.getTime() - 30 * DAY,
    years: 5,
  });
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const serialBytes = new Uint8Array([0x21, ...crypto.getRandomValues(new Uint8Array(8))]);
  serial = toHex(serialBytes);
  // freshestCRL: where deltas are (OpenSSL looks for deltas only when a certificate has one).
  const freshest = sequence(
    sequence(tlv(0xa0, tlv(0xa0, tlv(0x86, new TextEncoder().encode(URL))))),
  );
  leaf = await signCertificate(ca, {
    serial: serialBytes,
    subject: distinguishedName([{ type: OID.commonName, value: 'Alice' }]),
    spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)),
    notBefore: NOW.getTime() - DAY,
    notAfter: NOW.getTime() + 365 * DAY,
    extensions: [
      basicConstraintsExtension(false),
      keyUsageExtension(['digitalSignature']),
      extendedKeyUsageExtension([OID.smartcardLogon]),
      authorityKeyIdentifierExtension(ca.keyIdentifier),
      crlDistributionPointsExtension(URL),
      new pkijs.Extension({ extnID: '2.5.29.46', extnValue: freshest.buffer }),
    ],
  });
});

const crlOf = (params: Partial<CrlParams> & { crlNumber: number }) =>
  buildCrl({ issuer: ca, revoked: [], now: NOW.getTime(), validityDays: 7, ...params });

const held = () => [
  { serialNumber: serial, date: NOW.getTime() - DAY, reason: 'certificateHold' as const },
];

async function verdicts(crls: Uint8Array[]) {
  const files: Files = { leaf, anchors: [ca.certificate], crls };
  const ours = await ourVerdict(files);
  // -crl_check: the CA is the trust anchor here, and with -crl_check_all OpenSSL would also
  // look for a CRL covering it, which a CRL scoped to the users' distribution point is not.
  const openssl = hasOpenssl ? opensslVerdict(files, ['-use_deltas'], '-crl_check') : ours;
  return { ours, openssl };
}

describe(`the embedded CA's scoped and delta CRLs (OpenSSL's side ${hasOpenssl ? 'run' : `skipped: ${NEEDS_OPENSSL}`})`, () => {
  it('a CRL with an issuing distribution point covers the certificates that name it', async () => {
    const scoped = await crlOf({
      crlNumber: 5,
      distributionPoint: URL,
      onlyUserCerts: true,
      revoked: held(),
    });
    expect(await verdicts([scoped])).toEqual({ ours: 'revoked', openssl: 'revoked' });
    const elsewhere = await crlOf({
      crlNumber: 5,
      distributionPoint: 'http://ca.example/other.crl',
    });
    expect(await verdicts([elsewhere])).toEqual({ ours: 'crl-invalid', openssl: 'crl-invalid' });
  });

  it('a delta CRL releases a hold, or revokes since its base', async () => {
    const base = await crlOf({ crlNumber: 5, distributionPoint: URL, revoked: held() });
    const release = await crlOf({
      crlNumber: 6,
      deltaOf: 5,
      distributionPoint: URL,
      released: [serial],
    });
    expect(await verdicts([base, release])).toEqual({ ours: 'valid', openssl: 'valid' });
    const clean = await crlOf({ crlNumber: 5, distributionPoint: URL });
    const revoke = await crlOf({
      crlNumber: 7,
      deltaOf: 5,
      distributionPoint: URL,
      revoked: [{ serialNumber: serial, date: NOW.getTime() - DAY, reason: 'keyCompromise' }],
    });
    expect(await verdicts([clean, revoke])).toEqual({ ours: 'revoked', openssl: 'revoked' });
    expect(await verdicts([clean])).toEqual({ ours: 'valid', openssl: 'valid' });
  });
});
