/**
 * `rollOverKey()`: the issuing CA gets a new key and a new certificate with the same name from
 * the root; new certificates are issued under it, older ones stay valid. Each key signs the CRL of
 * its own certificates (at its own CRL URL, as AD CS names it), or the new key signs one CRL of
 * both (RFC 5280 §6.3.3 (f)); the OCSP responder answers for every key. The SDK's validator and
 * `openssl verify -crl_check -extended_crl` agree.
 */
import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { urlOfKey } from '../../../src/enrollment/ca/authority-keys.js';
import { toHex } from '../../../src/lib/bytes.js';
import { codeOf } from '../../support/errors.js';
import { hasOpenssl, NEEDS_OPENSSL } from '../../support/openssl.js';
import { issueToAlice, testCa } from '../support/ca.js';
import { certId, ocspRequest, readResponse, signatureVerifies } from './ocsp-support.js';
import { verdicts } from './verdicts.js';

/** The serials a CRL lists, as lowercase hex. */
function listed(crl: Uint8Array): string[] {
  const parsed = pkijs.CertificateRevocationList.fromBER(crl.slice());
  return (parsed.revokedCertificates ?? []).map((entry) =>
    toHex(entry.userCertificate.valueBlock.valueHexView),
  );
}

async function signedBy(crl: Uint8Array, issuer: Uint8Array): Promise<boolean> {
  return pkijs.CertificateRevocationList.fromBER(crl.slice()).verify({
    issuerCertificate: pkijs.Certificate.fromBER(issuer.slice()),
  });
}

describe('CertificateAuthority.rollOverKey()', () => {
  it('gives the issuing CA a new key and certificate of the same name; new certificates use it', async () => {
    const ca = await testCa({ issuing: true });
    const before = await issueToAlice(ca);
    const oldIssuer = ca.issuer;
    expect(await ca.rollOverKey()).toBe(1);
    const after = await issueToAlice(ca);
    const [oldCert, newCert] = [new X509Certificate(oldIssuer), new X509Certificate(ca.issuer)];
    expect(newCert.subject).toBe(oldCert.subject);
    expect(newCert.raw.equals(oldCert.raw)).toBe(false);
    expect(newCert.checkIssued(new X509Certificate(ca.root))).toBe(true);
    expect(newCert.verify(new X509Certificate(ca.root).publicKey)).toBe(true);
    expect(ca.intermediates.map(toHex)).toEqual([toHex(ca.issuer), toHex(oldIssuer)]);
    expect(ca.chain.map(toHex)).toEqual([toHex(ca.issuer), toHex(ca.root)]);
    const leafAfter = new X509Certificate(after.certificate);
    expect(leafAfter.verify(newCert.publicKey)).toBe(true);
    expect(leafAfter.verify(oldCert.publicKey)).toBe(false);
    expect(new X509Certificate(before.certificate).verify(oldCert.publicKey)).toBe(true);
    // Key 1's certificates point at its own CRL, as AD CS names it.
    expect(leafAfter.toString()).toBeTruthy();
    const points = (cert: Uint8Array) =>
      new TextDecoder().decode(cert).includes('http://pki.example.test/crl/issuing(1).crl');
    expect(points(after.certificate)).toBe(true);
    expect(points(before.certificate)).toBe(false);
    expect(await ca.rollOverKey()).toBe(2);
  });

  it('publishes a CRL per key, or one of every key signed by the newest', async () => {
    const ca = await testCa({ issuing: true });
    const oldLost = await issueToAlice(ca);
    const oldIssuer = ca.issuer;
    await ca.rollOverKey();
    const newLost = await issueToAlice(ca);
    await ca.revoke(oldLost.serialNumber, 'keyCompromise');
    await ca.revoke(newLost.serialNumber, 'cessationOfOperation');
    const newest = await ca.crl();
    expect(listed(newest)).toEqual([newLost.serialNumber]);
    expect(new TextDecoder().decode(newest)).toContain(
      'http://pki.example.test/crl/issuing(1).crl',
    );
    expect(await signedBy(newest, ca.issuer)).toBe(true);
    const first = await ca.crl({ key: 0 });
    expect(listed(first)).toEqual([oldLost.serialNumber]);
    expect(await signedBy(first, oldIssuer)).toBe(true);
    const all = await ca.crl({ key: 'all' });
    expect(listed(all).sort()).toEqual([oldLost.serialNumber, newLost.serialNumber].sort());
    expect(await signedBy(all, ca.issuer)).toBe(true);
    // Each choice is its own series for deltas.
    expect(listed(await ca.crl({ key: 0, deltaOf: 2 }))).toEqual([]);
    expect(await codeOf(ca.crl({ key: 0, deltaOf: 1 }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.crl({ key: 2 }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.crl({ key: -1 }))).toBe('ERR_INVALID_INPUT');
  });

  it('answers OCSP for every key, signed by the key the CertID names', async () => {
    const ca = await testCa({ issuing: true });
    const old = await issueToAlice(ca);
    const oldIssuer = ca.issuer;
    await ca.rollOverKey();
    const fresh = await issueToAlice(ca);
    await ca.revoke(old.serialNumber, 'superseded');
    const respond = ca.ocspResponder();
    const asked = async (cert: Uint8Array, issuer: Uint8Array) =>
      readResponse(await respond(ocspRequest([await certId(cert, issuer)])));
    const oldAnswer = await asked(old.certificate, oldIssuer);
    expect(oldAnswer.statuses[0]?.status).toBe('revoked');
    expect(signatureVerifies(oldAnswer.basic as pkijs.BasicOCSPResponse, oldIssuer)).toBe(true);
    const newAnswer = await asked(fresh.certificate, ca.issuer);
    expect(newAnswer.statuses).toEqual([{ status: 'good' }]);
    expect(signatureVerifies(newAnswer.basic as pkijs.BasicOCSPResponse, ca.issuer)).toBe(true);
    // A CertID naming the other key of the same name: that key did not issue it.
    expect((await asked(old.certificate, ca.issuer)).statuses).toEqual([{ status: 'unknown' }]);
  });

  it.skipIf(!hasOpenssl)(
    `with a CRL-signing key, the signer's CRLs of each key are told apart (${NEEDS_OPENSSL})`,
    async () => {
      const ca = await testCa({ issuing: true, crlSigningKey: true });
      const oldLost = await issueToAlice(ca);
      await ca.rollOverKey();
      const newKept = await issueToAlice(ca);
      await ca.revoke(oldLost.serialNumber, 'keyCompromise');
      const crls = [await ca.crl({ key: 0 }), await ca.crl({ key: 1 }), await ca.rootCrl()];
      for (const crl of crls.slice(0, 2)) {
        expect(await signedBy(crl, ca.crlSigner as Uint8Array)).toBe(true);
      }
      expect(await verdicts(ca, oldLost.certificate, crls)).toEqual({
        ours: 'revoked',
        openssl: 'revoked',
      });
      expect(await verdicts(ca, newKept.certificate, crls)).toEqual({
        ours: 'valid',
        openssl: 'valid',
      });
      // The new key's CRL alone says nothing of the old key's certificates.
      const alone = await verdicts(ca, oldLost.certificate, crls.slice(1));
      expect(alone.ours).toBe('crl-invalid');
      expect(alone.openssl).toMatch(/unable to get certificate CRL|different CRL scope/);
    },
  );

  it('refuses to roll over a CA whose root issues', async () => {
    const ca = await testCa({});
    expect(await codeOf(ca.rollOverKey())).toBe('ERR_INVALID_INPUT');
  });

  it('names the CRL of key n as AD CS does', () => {
    expect(urlOfKey('http://pki.test/crl/issuing.crl', 0)).toBe('http://pki.test/crl/issuing.crl');
    expect(urlOfKey('http://pki.test/crl/issuing.crl', 1)).toBe(
      'http://pki.test/crl/issuing(1).crl',
    );
    expect(urlOfKey('http://pki.test/crl/issuing', 2)).toBe('http://pki.test/crl/issuing(2)');
  });

  it.skipIf(!hasOpenssl)(
    `the validator and openssl verify -crl_check -extended_crl agree after a rollover (${NEEDS_OPENSSL})`,
    async () => {
      const ca = await testCa({ issuing: true });
      const oldKept = await issueToAlice(ca);
      const oldLost = await issueToAlice(ca);
      await ca.rollOverKey();
      const newKept = await issueToAlice(ca);
      const newLost = await issueToAlice(ca);
      await ca.revoke(oldLost.serialNumber, 'keyCompromise');
      await ca.revoke(newLost.serialNumber, 'keyCompromise');
      const root = await ca.rootCrl();
      const perKey = [await ca.crl({ key: 0 }), await ca.crl({ key: 1 }), root];
      const cases: [Uint8Array, string][] = [
        [oldKept.certificate, 'valid'],
        [oldLost.certificate, 'revoked'],
        [newKept.certificate, 'valid'],
        [newLost.certificate, 'revoked'],
      ];
      for (const [leaf, expected] of cases) {
        expect(await verdicts(ca, leaf, perKey)).toEqual({ ours: expected, openssl: expected });
      }
      // A key's own CRL is scoped to its distribution point: never taken for the other key's.
      const newOnly = [await ca.crl({ key: 1 }), root];
      const oldLostVerdicts = await verdicts(ca, oldLost.certificate, newOnly);
      expect(oldLostVerdicts.ours).toBe('crl-invalid');
      expect(oldLostVerdicts.openssl).toMatch(/unable to get certificate CRL|different CRL scope/);
      // One CRL of both keys, signed by the new key: the old key's certificates too.
      const all = [await ca.crl({ key: 'all' }), root];
      for (const [leaf, expected] of cases) {
        expect(await verdicts(ca, leaf, all)).toEqual({ ours: expected, openssl: expected });
      }
    },
  );
});
