import { describe, expect, it } from 'vitest';
import { validateCertificatePath } from '../../src/server/index.js';
import { CheckBudgetExceeded, SignatureChecker } from '../../src/server/path/signature.js';
import { ALICE, issuedOf, testCa } from '../enrollment/support/ca.js';
import { ecKey, pkcs10 } from '../enrollment/support/requests.js';

/**
 * The work one unauthenticated request can cost is bounded by count as well as by key size:
 * one validation makes at most `2 × maxWork` signature checks, CRLs' included.
 */
describe('the signature checks of one validation', () => {
  it('stop at the checker budget; answers from the result cache are free', async () => {
    const key = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', key.publicKey));
    const algorithm = new Uint8Array([
      0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 4, 3, 2,
    ]);
    const facts = { kind: 'ec', curve: 'P-256', size: 32 } as const;
    const signature = new Uint8Array(64);
    const checker = new SignatureChecker(crypto, new WeakMap(), new WeakMap(), 2);
    const data = new Uint8Array([1]);
    expect(await checker.verify(spki, facts, algorithm, data, signature)).toBe(false);
    expect(await checker.verify(spki, facts, algorithm, data, signature)).toBe(false); // cached
    const other = new Uint8Array(64);
    expect(await checker.verify(spki, facts, algorithm, data, other)).toBe(false);
    expect(checker.checks).toBe(2);
    expect(() => checker.verify(spki, facts, algorithm, data, new Uint8Array(64))).toThrow(
      CheckBudgetExceeded,
    );
  });

  it('count CRL signatures too: many CRLs of one issuer end in too-much-work', async () => {
    const ca = await testCa();
    const issued = await ca.issue(await pkcs10(await ecKey(), { template: 'SmartcardLogon' }), {
      requester: ALICE.account,
    });
    issuedOf(issued);
    if (issued.status !== 'issued') throw new Error('not issued');
    const crls = [await ca.crl(), await ca.crl(), await ca.crl()];
    const check = (maxWork: number) =>
      validateCertificatePath({
        leaf: issued.certificate,
        trustAnchors: [ca.root],
        crls,
        maxWork,
        time: Date.parse('2026-03-02T00:00:00Z'),
      });
    // One issuer signature and three CRL signatures: four checks.
    expect(await check(2)).toMatchObject({ valid: true });
    expect(await check(1)).toMatchObject({ valid: false, reason: 'too-much-work' });
  });
});
