/**
 * `crlSigningKey: true`: the CA's CRLs are signed by a separate key whose certificate has the
 * issuing CA's name, cRLSign only and its own key identifier, issued by the root (self-issued
 * when the root issues). The SDK's validator and `openssl verify -crl_check -extended_crl` find
 * the signer among the intermediates and use the CRL.
 */
import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/bytes.js';
import { codeOf } from '../../support/errors.js';
import { hasOpenssl, NEEDS_OPENSSL } from '../../support/openssl.js';
import { issueToAlice, testCa } from '../support/ca.js';
import { verdicts } from './verdicts.js';

const SKI = '2.5.29.14';
const AKI = '2.5.29.35';

/** The key identifier an SKI or AKI extension carries, as hex. */
function keyIdOf(extensions: readonly pkijs.Extension[] | undefined, id: string): string {
  const extension = extensions?.find((candidate) => candidate.extnID === id);
  if (extension === undefined) return '';
  const value = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView.slice()).result;
  const bytes =
    id === SKI
      ? (value as asn1js.OctetString).valueBlock.valueHexView
      : ((value as asn1js.Sequence).valueBlock.value[0] as asn1js.Primitive).valueBlock
          .valueHexView;
  return toHex(bytes);
}

describe('crlSigningKey', () => {
  for (const issuing of [true, false]) {
    it(`signs the CRLs with a key of their own (${issuing ? 'under the root' : 'self-issued by the root'})`, async () => {
      const ca = await testCa({ issuing, crlSigningKey: true });
      const signerDer = ca.crlSigner;
      if (signerDer === undefined) throw new Error('no CRL signer');
      const signer = pkijs.Certificate.fromBER(signerDer.slice());
      const issuer = pkijs.Certificate.fromBER(ca.issuer.slice());
      const root = pkijs.Certificate.fromBER(ca.root.slice());
      expect(toHex(new Uint8Array(signer.subject.toSchema().toBER()))).toBe(
        toHex(new Uint8Array(issuer.subject.toSchema().toBER())),
      );
      expect(toHex(new Uint8Array(signer.issuer.toSchema().toBER()))).toBe(
        toHex(new Uint8Array(root.subject.toSchema().toBER())),
      );
      expect(new X509Certificate(signerDer).verify(new X509Certificate(ca.root).publicKey)).toBe(
        true,
      );
      const usage = signer.extensions?.find((extension) => extension.extnID === '2.5.29.15');
      expect(usage?.critical).toBe(true);
      expect(toHex(usage?.extnValue.valueBlock.valueHexView ?? new Uint8Array())).toBe('03020102');
      const signerKey = keyIdOf(signer.extensions, SKI);
      expect(signerKey).not.toBe(keyIdOf(issuer.extensions, SKI));
      expect(keyIdOf(signer.extensions, AKI)).toBe(keyIdOf(root.extensions, SKI));
      expect(ca.intermediates.map(toHex)).toContain(toHex(signerDer));

      const crl = pkijs.CertificateRevocationList.fromBER((await ca.crl()).slice());
      expect(keyIdOf(crl.crlExtensions?.extensions, AKI)).toBe(signerKey);
      expect(await crl.verify({ issuerCertificate: signer })).toBe(true);
      expect(await crl.verify({ issuerCertificate: issuer })).toBe(false);
    });
  }

  it('needs no CRL signer by default', async () => {
    const ca = await testCa({ issuing: true });
    expect(ca.crlSigner).toBeUndefined();
    expect(ca.intermediates.map(toHex)).toEqual([toHex(ca.issuer)]);
    expect(await codeOf(testCa({ crlSigningKey: 'yes' as never }))).toBe('ERR_INVALID_INPUT');
  });

  it.skipIf(!hasOpenssl)(
    `the validator and openssl verify -crl_check -extended_crl agree on its CRLs (${NEEDS_OPENSSL})`,
    async () => {
      for (const issuing of [true, false]) {
        const ca = await testCa({ issuing, crlSigningKey: true });
        const kept = await issueToAlice(ca);
        const lost = await issueToAlice(ca);
        await ca.revoke(lost.serialNumber, 'keyCompromise');
        // The root's CRL too: the validator requires one for every certificate below the root.
        const crl = await ca.crl();
        const crls = issuing ? [crl, await ca.rootCrl()] : [crl];
        expect(await verdicts(ca, kept.certificate, crls)).toEqual({
          ours: 'valid',
          openssl: 'valid',
        });
        expect(await verdicts(ca, lost.certificate, crls)).toEqual({
          ours: 'revoked',
          openssl: 'revoked',
        });
      }
    },
  );
});
