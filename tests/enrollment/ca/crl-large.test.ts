import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCrl, type Revocation } from '../../../src/enrollment/ca/crl.js';
import { createSigningCa, signCertificate } from '../../../src/enrollment/ca/signing-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  keyUsageExtension,
} from '../../../src/enrollment/ca/x509.js';
import { OID } from '../../../src/enrollment/oids.js';
import { toHex } from '../../../src/lib/bytes.js';
import { validateCertificatePath } from '../../../src/server/index.js';
import { hasOpenssl, NEEDS_OPENSSL, openssl, scratch } from '../../support/openssl.js';

/**
 * The CA publishes CRLs of 100,000 entries (pkijs, which re-reads what it writes, stopped near
 * 1,300), OpenSSL reads them, and the validator finds a revoked serial among them. How long it
 * takes is the bench's business (`npm run bench`), not this test's.
 */
const DAY = 86_400_000;
const NOW = Date.UTC(2030, 5, 1, 12);
const COUNT = 100_000;

async function setup() {
  const ca = await createSigningCa({
    crypto,
    keyAlgorithm: 'ECDSA-P256',
    commonName: 'Large CRL CA',
    now: NOW - 30 * DAY,
    years: 5,
  });
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const leaf = async (serial: Uint8Array<ArrayBuffer>) =>
    signCertificate(ca, {
      serial,
      subject: distinguishedName([{ type: OID.commonName, value: 'Alice' }]),
      spki,
      notBefore: NOW - DAY,
      notAfter: NOW + 365 * DAY,
      extensions: [
        basicConstraintsExtension(false),
        keyUsageExtension(['digitalSignature']),
        extendedKeyUsageExtension([OID.smartcardLogon]),
        authorityKeyIdentifierExtension(ca.keyIdentifier),
      ],
    });
  return { ca, leaf };
}

/** `count` distinct positive serials of 16 bytes, as the CA makes them. */
function serials(count: number): string[] {
  const out: string[] = [];
  const bytes = new Uint8Array(randomBytes(16 * count));
  for (let i = 0; i < count; i++) {
    const serial = bytes.subarray(16 * i, 16 * i + 16);
    serial[0] = ((serial[0] as number) & 0x7f) | 0x01;
    out.push(toHex(serial));
  }
  return out;
}

describe('a CRL of 100,000 entries', () => {
  it('is published, read by the validator (a revoked serial found) and by OpenSSL', async () => {
    const { ca, leaf } = await setup();
    const listed = serials(COUNT);
    const revokedLeaf = await leaf(new Uint8Array([0x42, ...Array(15).fill(7)]));
    const goodLeaf = await leaf(new Uint8Array([0x43, ...Array(15).fill(7)]));
    const revocations: Revocation[] = listed.map((serialNumber, i) => ({
      serialNumber,
      date: NOW - DAY + i,
      reason: i % 3 === 0 ? 'keyCompromise' : 'unspecified',
    }));
    revocations.splice(COUNT / 2, 0, {
      serialNumber: `42${'07'.repeat(15)}`,
      date: NOW - DAY,
      reason: 'keyCompromise',
    });
    const crl = await buildCrl({
      issuer: ca,
      revoked: revocations,
      crlNumber: 7,
      now: NOW,
      validityDays: 7,
    });
    expect(crl.length).toBeGreaterThan(COUNT * 30);
    const check = (leafDer: Uint8Array) =>
      validateCertificatePath({
        leaf: leafDer,
        trustAnchors: [ca.certificate],
        crls: [crl],
        time: NOW,
        revocation: 'require',
      });
    expect(await check(revokedLeaf)).toMatchObject({ valid: false, reason: 'revoked' });
    expect((await check(goodLeaf)).valid).toBe(true);
    if (!hasOpenssl) {
      console.warn(`openssl crl check skipped: ${NEEDS_OPENSSL}`);
      return;
    }
    const files = scratch();
    try {
      const path = files.file('large.crl', crl);
      const issuer = files.file('ca.der', ca.certificate);
      const pem = files.file('ca.pem', openssl('x509', '-inform', 'DER', '-in', issuer));
      openssl('crl', '-inform', 'DER', '-noout', '-in', path);
      expect(openssl('crl', '-inform', 'DER', '-noout', '-in', path, '-CAfile', pem)).toMatch(
        /verify OK/,
      );
    } finally {
      files.remove();
    }
  }, 60_000);
});
