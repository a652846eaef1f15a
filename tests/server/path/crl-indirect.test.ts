import { beforeAll, describe, expect, it } from 'vitest';
import { hasOpenssl, NEEDS_OPENSSL } from '../../support/openssl.js';
import {
  certificateIssuer,
  deltaIndicator,
  type Files,
  freshestCrl,
  type IndirectPoint,
  idp,
  indirectDistributionPoints,
  opensslVerdict,
  ourVerdict,
} from './support/crl-pki.js';
import { crl, type Issued, issue } from './support/issue.js';

/**
 * Indirect CRLs (RFC 5280 §5.2.5 indirectCRL, §5.3.3 certificateIssuer, §6.3.3 (b)(2)): a
 * revocation authority's CRL, which a certificate's distribution point names as cRLIssuer,
 * lists the certificates of the CAs it serves. Its entries are its own until a certificateIssuer
 * entry names a CA, for that entry and those after it. The authority's certificate is given as
 * an intermediate (OpenSSL looks for it there), and its own status comes from the root's CRL.
 * Every case asks `revocation: 'require'` of us and `-crl_check_all -extended_crl` of OpenSSL.
 */
const POINT = 'http://pki.example/authority.crl';
const AUTHORITY = 'Revocation Authority';
const CA_ONE = 'Issuing CA One';
const CA_TWO = 'Issuing CA Two';
const NO_CHANGE = '2031-01-01T00:00:00Z';

let root: Issued;
let caOne: Issued;
let authority: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'Indirect Root', ca: true });
  caOne = await issue({ subject: CA_ONE, issuer: root, ca: true });
  authority = await issue({ subject: AUTHORITY, issuer: root, keyUsage: ['cRLSign'] });
});

/** A certificate of CA One with `serial`, whose CRLs `AUTHORITY` signs at `POINT`. */
const leafOf = (serial: number, point: IndirectPoint = { point: POINT, crlIssuer: AUTHORITY }) =>
  issue({ subject: 'Alice', issuer: caOne, serial, extra: [indirectDistributionPoints(point)] });

/**
 * The authority's CRL (signed by `signer`), listing `entries` in order: a serial, or a serial
 * whose entry names its issuer (a certificateIssuer: that entry and the ones after it are its).
 */
function authorityCrl(
  entries: (number | [number, string])[],
  { indirect = true, signer = authority } = {},
): Promise<Uint8Array> {
  const serials = entries.map((entry) => (typeof entry === 'number' ? entry : entry[0]));
  const entryExtensions = Object.fromEntries(
    entries.flatMap((entry, index) =>
      typeof entry === 'number' ? [] : [[index, [certificateIssuer(entry[1])]]],
    ),
  );
  return crl(signer, serials, NO_CHANGE, signer.keys, undefined, {
    extra: [idp({ point: POINT, indirectCrl: indirect })],
    entryExtensions,
  });
}

async function verdicts(
  leaf: Issued,
  crls: Uint8Array[],
  { intermediates = [caOne, authority], anchors = [root] } = {},
) {
  const files: Files = {
    leaf: leaf.der,
    intermediates: intermediates.map((cert) => cert.der),
    anchors: anchors.map((anchor) => anchor.der),
    crls: [...(await Promise.all(anchors.map((anchor) => crl(anchor, [])))), ...crls],
  };
  const ours = await ourVerdict(files);
  return { ours, openssl: hasOpenssl ? opensslVerdict(files) : ours };
}

describe(`indirect CRLs (OpenSSL's side ${hasOpenssl ? 'run' : `skipped: ${NEEDS_OPENSSL}`})`, () => {
  it('an indirect CRL revokes a certificate of the CA its entries name', async () => {
    const leaf = await leafOf(1001);
    const listed = await authorityCrl([[1001, CA_ONE]]);
    expect(await verdicts(leaf, [listed])).toEqual({ ours: 'revoked', openssl: 'revoked' });
    const clean = await authorityCrl([[1002, CA_ONE]]);
    expect(await verdicts(leaf, [clean])).toEqual({ ours: 'valid', openssl: 'valid' });
  });

  it('an entry of another issuer does not revoke: another CA’s, or the authority’s own', async () => {
    const leaf = await leafOf(1101);
    const otherCa = await authorityCrl([[1101, CA_TWO]]);
    expect(await verdicts(leaf, [otherCa])).toEqual({ ours: 'valid', openssl: 'valid' });
    const own = await authorityCrl([1101]);
    expect(await verdicts(leaf, [own])).toEqual({ ours: 'valid', openssl: 'valid' });
  });

  it('certificateIssuer switches the issuer mid-list, for its entry and those after it', async () => {
    // 1201 the authority's; 1202 and 1203 CA One's; 1204 and 1205 CA Two's; then 1205 CA One's.
    const list = await authorityCrl([
      1201,
      [1202, CA_ONE],
      1203,
      [1204, CA_TWO],
      1205,
      [1205, CA_ONE],
    ]);
    const expected = { 1201: 'valid', 1202: 'revoked', 1203: 'revoked', 1204: 'valid' };
    for (const [serial, verdict] of Object.entries({ ...expected, 1205: 'revoked' })) {
      const both = await verdicts(await leafOf(Number(serial)), [list]);
      expect({ serial, ...both }).toEqual({ serial, ours: verdict, openssl: verdict });
    }
  });

  it('a CRL of another issuer without indirectCRL is never used for CA One’s certificates', async () => {
    const leaf = await leafOf(1301);
    const direct = await authorityCrl([[1301, CA_ONE]], { indirect: false });
    // No CRL covers the certificate: undecided under 'require' (OpenSSL: no CRL found).
    expect(await verdicts(leaf, [direct])).toEqual({ ours: 'crl-invalid', openssl: 'crl-invalid' });
    const files = {
      leaf: leaf.der,
      intermediates: [caOne.der, authority.der],
      anchors: [root.der],
    };
    const crls = [await crl(root, []), direct];
    expect(await ourVerdict({ ...files, crls }, 'if-available')).toBe('valid');
  });

  it('only a distribution point naming the CRL’s issuer as cRLIssuer brings it in', async () => {
    const leaf = await leafOf(1401, { point: POINT, crlIssuer: 'Another Authority' });
    const listed = await authorityCrl([[1401, CA_ONE]]);
    expect(await verdicts(leaf, [listed])).toEqual({ ours: 'crl-invalid', openssl: 'crl-invalid' });
  });

  it('the IDP’s point must match the distribution point’s name too', async () => {
    const leaf = await leafOf(1451, {
      point: 'http://pki.example/other.crl',
      crlIssuer: AUTHORITY,
    });
    const listed = await authorityCrl([[1451, CA_ONE]]);
    expect(await verdicts(leaf, [listed])).toEqual({ ours: 'crl-invalid', openssl: 'crl-invalid' });
  });

  it('a certificateIssuer that is not critical makes the CRL undecided', async () => {
    const leaf = await leafOf(1461);
    const list = await crl(authority, [1461], NO_CHANGE, authority.keys, undefined, {
      extra: [idp({ point: POINT, indirectCrl: true })],
      entryExtensions: { 0: [certificateIssuer(CA_ONE, false)] },
    });
    const both = await verdicts(leaf, [list]);
    // RFC 5280 §5.3.3 requires it critical: a reader that ignored it would misattribute the
    // entries. OpenSSL reads it either way, and revokes.
    expect(both).toEqual({ ours: 'crl-invalid', openssl: hasOpenssl ? 'revoked' : 'crl-invalid' });
  });

  it('an authority without cRLSign is not relied on', async () => {
    const leaf = await leafOf(1501);
    const noCrlSign = await issue({
      subject: AUTHORITY,
      issuer: root,
      keyUsage: ['digitalSignature'],
    });
    const list = await authorityCrl([], { signer: noCrlSign });
    const both = await verdicts(leaf, [list], { intermediates: [caOne, noCrlSign] });
    expect(both.ours).toBe('crl-invalid');
    // OpenSSL finds the error (26, "unsuitable certificate purpose" on the CRL's path: a CRL
    // signer needs cRLSign) but the `openssl verify` command's callback lets purpose errors
    // pass and prints OK; the library's default callback fails there, as we do.
    expect(both.openssl).toMatch(hasOpenssl ? /\[CRL path\] error 26 / : /crl-invalid/);
  });

  it('an authority certified under another trust anchor is not relied on', async () => {
    const leaf = await leafOf(1601);
    const otherRoot = await issue({ subject: 'Stranger Root', ca: true });
    const stranger = await issue({ subject: AUTHORITY, issuer: otherRoot, keyUsage: ['cRLSign'] });
    const list = await authorityCrl([], { signer: stranger });
    const both = await verdicts(leaf, [list], {
      intermediates: [caOne, stranger],
      anchors: [root, otherRoot],
    });
    expect(both.ours).toBe('crl-invalid');
    // OpenSSL: error 54, "CRL path validation error" (the CRL's path ends at another anchor).
    expect(both.openssl).toMatch(hasOpenssl ? /CRL path validation error/ : /crl-invalid/);
  });

  it('a delta CRL of the authority updates its complete indirect CRL', async () => {
    // OpenSSL reads deltas only with -use_deltas and a freshestCRL in the certificate.
    const leaf = await issue({
      subject: 'Alice',
      issuer: caOne,
      serial: 1701,
      extra: [
        indirectDistributionPoints({ point: POINT, crlIssuer: AUTHORITY }),
        freshestCrl(POINT),
      ],
    });
    const base = await authorityCrl([[1700, CA_ONE]]);
    const delta = await crl(authority, [1701], NO_CHANGE, authority.keys, undefined, {
      number: 2,
      extra: [idp({ point: POINT, indirectCrl: true }), deltaIndicator(1)],
      entryExtensions: { 0: [certificateIssuer(CA_ONE)] },
    });
    const files = {
      leaf: leaf.der,
      intermediates: [caOne.der, authority.der],
      anchors: [root.der],
      crls: [await crl(root, []), base, delta],
    };
    const openssl = (given: Files) =>
      hasOpenssl ? opensslVerdict(given, ['-use_deltas']) : 'skipped';
    expect([await ourVerdict(files), openssl(files)]).toEqual([
      'revoked',
      hasOpenssl ? 'revoked' : 'skipped',
    ]);
    const baseOnly = { ...files, crls: [await crl(root, []), base] };
    expect([await ourVerdict(baseOnly), openssl(baseOnly)]).toEqual([
      'valid',
      hasOpenssl ? 'valid' : 'skipped',
    ]);
  });
});
