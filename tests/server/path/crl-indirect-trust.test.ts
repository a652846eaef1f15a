import { beforeAll, describe, expect, it } from 'vitest';
import { TrustState } from '../../../src/server/authenticator/trust.js';
import { readPathOptions } from '../../../src/server/path/options.js';
import { certificateIssuer, idp, indirectDistributionPoints } from './support/crl-pki.js';
import { crl, type Issued, issue, NOW } from './support/issue.js';

/**
 * Indirect CRLs through an Authenticator's trust state: the revocation authority's certificate
 * configured as an intermediate, its CRL judged by the newest one seen (an older one, still
 * current, cannot undo a revocation), and the authority's own status read from the root's CRL.
 */
const POINT = 'http://pki.example/authority.crl';
const AUTHORITY = 'Trust Revocation Authority';
const CA = 'Trust Issuing CA';
const SERIAL = 6101;
const AUTHORITY_SERIAL = 6100;

let root: Issued;
let ca: Issued;
let authority: Issued;
let leaf: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'Trust Indirect Root', ca: true });
  ca = await issue({ subject: CA, issuer: root, ca: true });
  authority = await issue({
    subject: AUTHORITY,
    issuer: root,
    keyUsage: ['cRLSign'],
    serial: AUTHORITY_SERIAL,
  });
  leaf = await issue({
    subject: 'Alice',
    issuer: ca,
    serial: SERIAL,
    extra: [indirectDistributionPoints({ point: POINT, crlIssuer: AUTHORITY })],
  });
});

/** The authority's CRL number `number`, listing the leaf for its CA or not. */
const authorityCrl = (number: number, listsLeaf: boolean) =>
  crl(authority, listsLeaf ? [SERIAL] : [], undefined, authority.keys, undefined, {
    number,
    extra: [idp({ point: POINT, indirectCrl: true })],
    entryExtensions: listsLeaf ? { 0: [certificateIssuer(CA)] } : {},
  });

async function check(state: TrustState, crls: Uint8Array[]) {
  const fetched = await state.readCrls(crypto, crls);
  if (typeof fetched === 'string') throw new Error(fetched);
  const result = await state.validate(crypto, leaf.der, [], NOW.getTime(), fetched);
  return 'leaf' in result ? 'valid' : result.reason;
}

describe('indirect CRLs in an Authenticator', () => {
  it('revoke, stay revoked against an older CRL, and need a current authority', async () => {
    const state = new TrustState({
      anchors: [root.der],
      intermediates: [ca.der, authority.der],
      settings: readPathOptions({ leaf: new Uint8Array(0), trustAnchors: [root.der] }),
      requireRevocation: true,
    });
    const rootCrl = await crl(root, []);
    const clean = await authorityCrl(1, false);
    expect(await check(state, [rootCrl, clean])).toBe('valid');
    expect(await check(state, [rootCrl, await authorityCrl(2, true)])).toBe('revoked');
    // The older CRL, still within its validity, is replaced by the newest seen.
    expect(await check(state, [rootCrl, clean])).toBe('revoked');
    // The authority revoked on the root's CRL: its CRL can no longer be used.
    const authorityRevoked = await crl(root, [AUTHORITY_SERIAL], undefined, root.keys, undefined, {
      number: 2,
    });
    expect(await check(state, [authorityRevoked, clean])).toBe('crl-invalid');
  });
});
