/**
 * `CertificateAuthority.crl(options)`: complete CRLs, delta CRLs of the latest complete one,
 * and CRLs scoped by an issuing distribution point. The SDK's validator reads them: a base
 * without the revocation and its delta with it revoke the card together.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { validateCertificatePath } from '../../../src/server/index.js';
import { codeOf } from '../../support/errors.js';
import { ALICE, START, testCa } from '../support/ca.js';
import { ecKey, pkcs10 } from '../support/requests.js';

const DELTA_CRL_INDICATOR = '2.5.29.27';
const ISSUING_DISTRIBUTION_POINT = '2.5.29.28';

function extensionsOf(der: Uint8Array): Map<string, pkijs.Extension> {
  const crl = new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(der.slice()).result });
  return new Map(
    (crl.crlExtensions?.extensions ?? []).map((extension) => [extension.extnID, extension]),
  );
}

async function caWithAlice() {
  const ca = await testCa({ issuing: true });
  const issued = await ca.issue(await pkcs10(await ecKey(), { template: 'SmartcardUser' }), {
    requester: ALICE.account,
  });
  if (issued.status !== 'issued') throw new Error(issued.status);
  return { ca, issued };
}

describe('CertificateAuthority.crl(options)', () => {
  it('makes a delta CRL of the latest complete one, which the validator adds to its base', async () => {
    const { ca, issued } = await caWithAlice();
    const base = await ca.crl();
    await ca.revoke(issued.serialNumber, 'keyCompromise');
    const delta = await ca.crl({ deltaOf: 1 });
    const deltaIndicator = extensionsOf(delta).get(DELTA_CRL_INDICATOR);
    expect(deltaIndicator?.critical).toBe(true);
    const rootCrl = await ca.rootCrl();
    const validate = (crls: Uint8Array[]) =>
      validateCertificatePath({
        leaf: issued.certificate,
        intermediates: [ca.issuer],
        trustAnchors: [ca.root],
        crls: [...crls, rootCrl],
        requiredEku: 'any',
        revocation: 'require',
        time: START,
      });
    const baseOnly = await validate([base]);
    expect(baseOnly.valid, baseOnly.valid ? '' : baseOnly.detail).toBe(true);
    const withDelta = await validate([base, delta]);
    expect(withDelta.valid ? 'valid' : withDelta.reason).toBe('revoked');
  });

  it('refuses a delta of anything but the latest complete CRL, and spends no number on it', async () => {
    const { ca } = await caWithAlice();
    expect(await codeOf(ca.crl({ deltaOf: 1 }))).toBe('ERR_INVALID_INPUT');
    await ca.crl(); // number 1
    await ca.crl(); // number 2
    expect(await codeOf(ca.crl({ deltaOf: 1 }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.crl({ deltaOf: 0 }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.crl({ distributionPoint: 'not a url' }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.crl({ onlyUserCerts: true }))).toBe('ERR_INVALID_INPUT');
    const next = new pkijs.CertificateRevocationList({
      schema: asn1js.fromBER((await ca.crl({ deltaOf: 2 })).slice()).result,
    });
    const number = next.crlExtensions?.extensions.find(
      (extension) => extension.extnID === '2.5.29.20',
    );
    expect(number?.parsedValue?.valueBlock?.valueDec).toBe(3);
  });

  it('scopes a CRL by its distribution point, as a critical issuing distribution point', async () => {
    const { ca } = await caWithAlice();
    const der = await ca.crl({
      distributionPoint: 'http://pki.contoso.test/issuing.crl',
      onlyUserCerts: true,
    });
    const idp = extensionsOf(der).get(ISSUING_DISTRIBUTION_POINT);
    expect(idp?.critical).toBe(true);
    expect(new TextDecoder().decode(idp?.extnValue.valueBlock.valueHexView)).toContain(
      'http://pki.contoso.test/issuing.crl',
    );
  });
});
