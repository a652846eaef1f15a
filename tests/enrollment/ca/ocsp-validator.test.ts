/**
 * The SDK's validator, asking the CA's OCSP responder through its injected fetcher (hard-fail, the
 * nonce required), agrees with the responder: good certificates pass, a revoked one fails, with
 * the CA's key or a delegated responder signing, SHA-1 or SHA-256 CertIDs, and after a rollover.
 */
import { describe, expect, it } from 'vitest';
import type { CertificateAuthority, OcspResponder } from '../../../src/enrollment/ca/index.js';
import { validateCertificatePath } from '../../../src/server/index.js';
import { issueToAlice, testCa } from '../support/ca.js';
import { AT } from './verdicts.js';

const OCSP_URL = 'http://ocsp.example.test/';

/** Our validator's verdict, OCSP answered by `respond` (the root's CRL for the issuing CA). */
async function verdict(
  ca: CertificateAuthority,
  leaf: Uint8Array,
  respond: OcspResponder,
  certIdHash: 'SHA-1' | 'SHA-256' = 'SHA-1',
): Promise<string> {
  const asked: string[] = [];
  const result = await validateCertificatePath({
    leaf,
    intermediates: ca.intermediates,
    trustAnchors: [ca.root],
    crls: [await ca.rootCrl()],
    revocation: 'require',
    requiredEku: 'any',
    time: AT,
    ocsp: {
      fetch: async ({ url, body }) => {
        asked.push(url);
        return respond(body);
      },
      mode: 'hard-fail',
      requireNonce: true,
      certIdHash,
    },
  });
  expect(asked).toContain(OCSP_URL);
  return result.valid ? 'valid' : `${result.reason}: ${result.detail}`;
}

describe('validateCertificatePath with the CA as OCSP responder', () => {
  for (const responder of ['issuer', 'delegated'] as const) {
    it(`agrees on good and revoked certificates, signed by the ${responder}`, async () => {
      const ca = await testCa({ issuing: true, ocspUrl: OCSP_URL });
      const kept = await issueToAlice(ca);
      const lost = await issueToAlice(ca);
      await ca.revoke(lost.serialNumber, 'keyCompromise');
      const respond = ca.ocspResponder({ responder });
      for (const hash of ['SHA-1', 'SHA-256'] as const) {
        expect(await verdict(ca, kept.certificate, respond, hash)).toBe('valid');
        expect(await verdict(ca, lost.certificate, respond, hash)).toMatch(/^revoked/);
      }
    });
  }

  it('agrees after a key rollover: each key answers for its own certificates', async () => {
    const ca = await testCa({ issuing: true, ocspUrl: OCSP_URL });
    const old = await issueToAlice(ca);
    await ca.rollOverKey();
    const fresh = await issueToAlice(ca);
    await ca.revoke(old.serialNumber, 'superseded');
    const respond = ca.ocspResponder({ responder: 'delegated' });
    expect(await verdict(ca, old.certificate, respond)).toMatch(/^revoked/);
    expect(await verdict(ca, fresh.certificate, respond)).toBe('valid');
  });
});
