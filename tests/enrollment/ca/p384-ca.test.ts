/**
 * A CA with P-384 keys signs with SHA-384 throughout, as RFC 5480 pairs them: its certificates,
 * the certificates it issues, its CRLs and its OCSP responses. The SDK's validator and
 * `openssl verify -crl_check` agree on its chain (a card valid, then revoked); OpenSSL reads
 * ecdsa-with-SHA384 on each; the SDK's OCSP client accepts its responder's answers.
 * tests/enrollment/ca/ocsp-openssl.test.ts asks that responder with `openssl ocsp` as well.
 */
import { describe, expect, it } from 'vitest';
import { toPem } from '../../../src/lib/pem.js';
import { validateCertificatePath } from '../../../src/server/index.js';
import { codeOf } from '../../support/errors.js';
import { hasOpenssl, NEEDS_OPENSSL, openssl, scratch } from '../../support/openssl.js';
import { issueToAlice, testCa } from '../support/ca.js';
import { AT, verdicts } from './verdicts.js';

const OCSP_URL = 'http://ocsp.example.test/';

/** The signature algorithm OpenSSL reads on a certificate or CRL (DER). */
function signatureAlgorithmOf(der: Uint8Array, kind: 'x509' | 'crl'): string {
  const files = scratch();
  try {
    const label = kind === 'x509' ? 'CERTIFICATE' : 'X509 CRL';
    const file = files.file('object.pem', toPem(label, der));
    const text = openssl(kind, '-in', file, '-noout', '-text');
    return /Signature Algorithm: (\S+)/.exec(text)?.[1] ?? text;
  } finally {
    files.remove();
  }
}

describe('a CA with P-384 keys', () => {
  it.skipIf(!hasOpenssl)(
    `signs with SHA-384, and OpenSSL agrees with the SDK (${NEEDS_OPENSSL})`,
    async () => {
      const ca = await testCa({ issuing: true, keyAlgorithm: 'ECDSA-P384' });
      const card = await issueToAlice(ca, 'SmartcardLogon');
      for (const der of [ca.root, ca.issuer, card.certificate]) {
        expect(signatureAlgorithmOf(der, 'x509')).toBe('ecdsa-with-SHA384');
      }
      const crls = async () => [await ca.crl(), await ca.rootCrl()];
      for (const der of await crls())
        expect(signatureAlgorithmOf(der, 'crl')).toBe('ecdsa-with-SHA384');
      expect(await verdicts(ca, card.certificate, await crls())).toEqual({
        ours: 'valid',
        openssl: 'valid',
      });
      await ca.revoke(card.serialNumber, 'keyCompromise');
      expect(await verdicts(ca, card.certificate, await crls())).toEqual({
        ours: 'revoked',
        openssl: 'revoked',
      });
    },
  );

  it('answers OCSP with SHA-384 signatures the SDK accepts, by its key or a delegated one', async () => {
    const ca = await testCa({ issuing: true, keyAlgorithm: 'ECDSA-P384', ocspUrl: OCSP_URL });
    const kept = await issueToAlice(ca, 'SmartcardLogon');
    const lost = await issueToAlice(ca, 'SmartcardLogon');
    await ca.revoke(lost.serialNumber, 'keyCompromise');
    for (const responder of ['issuer', 'delegated'] as const) {
      const respond = ca.ocspResponder({ responder });
      const verdict = async (leaf: Uint8Array) => {
        const result = await validateCertificatePath({
          leaf,
          intermediates: ca.intermediates,
          trustAnchors: [ca.root],
          crls: [await ca.rootCrl()],
          revocation: 'require',
          time: AT,
          ocsp: { fetch: ({ body }) => respond(body), mode: 'hard-fail', requireNonce: true },
        });
        return result.valid ? 'valid' : result.reason;
      };
      expect(await verdict(kept.certificate), responder).toBe('valid');
      expect(await verdict(lost.certificate), responder).toBe('revoked');
    }
  });

  it('refuses a key algorithm it does not make', async () => {
    expect(await codeOf(testCa({ keyAlgorithm: 'ECDSA-P521' as never }))).toBe('ERR_INVALID_INPUT');
  });
});
