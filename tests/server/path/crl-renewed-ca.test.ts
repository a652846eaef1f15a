import { beforeAll, describe, expect, it } from 'vitest';
import { buildCrl } from '../../../src/enrollment/ca/crl.js';
import {
  createSigningCa,
  type SigningCa,
  signCertificate,
} from '../../../src/enrollment/ca/signing-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  keyUsageExtension,
} from '../../../src/enrollment/ca/x509.js';
import { OID } from '../../../src/enrollment/oids.js';
import { toHex } from '../../../src/lib/bytes.js';
import { TrustState } from '../../../src/server/authenticator/trust.js';
import { parseCertificate } from '../../../src/server/path/certificate.js';
import { readPathOptions } from '../../../src/server/path/options.js';

/**
 * A CA renewed with a new key under the same name publishes a CRL per key. A CRL of the old
 * key is the old key's, not an unverifiable CRL of the new one: certificates of the new key are
 * judged by the new key's CRL. A CRL signed by a key that only signs CRLs is used when its
 * certificate chains to the issuer's trust anchor; one signed by a key nobody configured stays
 * undecided.
 */
const DAY = 86_400_000;
const NOW = Date.UTC(2030, 5, 1, 12);
const NAME = 'Renewed Issuing CA';

let old: SigningCa;
let renewed: SigningCa;
let leaf: Uint8Array;
let serial: string;

const ca = () =>
  createSigningCa({
    crypto,
    keyAlgorithm: 'ECDSA-P256',
    commonName: NAME,
    now: NOW - 30 * DAY,
    years: 5,
  });

async function issue(
  issuer: SigningCa,
  usage: 'user' | 'crl-signer',
): Promise<{ der: Uint8Array; keys: CryptoKeyPair }> {
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const user = usage === 'user';
  const der = await signCertificate(issuer, {
    serial: new Uint8Array([0x11, ...crypto.getRandomValues(new Uint8Array(8))]),
    subject: distinguishedName([{ type: OID.commonName, value: user ? 'Alice' : NAME }]),
    spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)),
    notBefore: NOW - DAY,
    notAfter: NOW + 365 * DAY,
    extensions: [
      basicConstraintsExtension(false),
      keyUsageExtension(user ? ['digitalSignature'] : ['cRLSign']),
      ...(user ? [extendedKeyUsageExtension([OID.smartcardLogon])] : []),
      authorityKeyIdentifierExtension(issuer.keyIdentifier),
    ],
  });
  return { der, keys };
}

beforeAll(async () => {
  old = await ca();
  renewed = await ca();
  leaf = (await issue(renewed, 'user')).der;
  const parsed = parseCertificate(leaf);
  if (typeof parsed === 'string') throw new Error(parsed);
  serial = toHex(parsed.serial);
});

function trust(anchors: Uint8Array[], intermediates: Uint8Array[] = []) {
  return new TrustState({
    anchors,
    intermediates,
    settings: readPathOptions({ leaf: new Uint8Array(0), trustAnchors: anchors }),
    requireRevocation: false,
  });
}

async function check(state: TrustState, crls: Uint8Array[]) {
  const fetched = await state.readCrls(crypto, crls);
  if (typeof fetched === 'string') throw new Error(fetched);
  const result = await state.validate(crypto, leaf, [], NOW, fetched);
  return 'leaf' in result ? 'valid' : result.reason;
}

const crlOf = (issuer: SigningCa, revoked: string[] = []) =>
  buildCrl({
    issuer,
    revoked: revoked.map((serialNumber) => ({
      serialNumber,
      date: NOW - DAY,
      reason: 'keyCompromise',
    })),
    crlNumber: 1,
    now: NOW,
    validityDays: 7,
  });

describe('a CA renewed under the same name', () => {
  it('each key’s CRL judges the certificates of that key', async () => {
    expect(serial).toMatch(/^11/);
    const both = trust([old.certificate, renewed.certificate]);
    expect(await check(both, [await crlOf(old), await crlOf(renewed)])).toBe('valid');
    // The old key's CRL listing the serial is about the old key's certificates: not this one.
    expect(await check(both, [await crlOf(old, [serial]), await crlOf(renewed)])).toBe('valid');
    expect(await check(both, [await crlOf(old), await crlOf(renewed, [serial])])).toBe('revoked');
  });

  it('a CRL of the same name signed by a key nobody configured stays undecided', async () => {
    const onlyRenewed = trust([renewed.certificate]);
    expect(await check(onlyRenewed, [await crlOf(old), await crlOf(renewed)])).toBe('crl-invalid');
  });

  it('a CRL signed by a key that only signs CRLs, certified by the CA, is used', async () => {
    const signer = await issue(renewed, 'crl-signer'); // the same name, cRLSign only
    const withSigner = trust([renewed.certificate], [signer.der]);
    const crl = await crlOf({ ...renewed, privateKey: signer.keys.privateKey });
    expect(await check(withSigner, [crl])).toBe('valid');
    const revoking = await crlOf({ ...renewed, privateKey: signer.keys.privateKey }, [serial]);
    expect(await check(withSigner, [revoking])).toBe('revoked');
    // As a trust anchor of its own, its path does not end at the issuer's anchor: undecided.
    expect(await check(trust([renewed.certificate, signer.der]), [crl])).toBe('crl-invalid');
  });
});
