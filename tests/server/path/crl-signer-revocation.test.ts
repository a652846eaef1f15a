import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateCertificatePath } from '../../../src/server/index.js';
import { hasOpenssl, NEEDS_OPENSSL } from '../../support/openssl.js';
import {
  distributionPoints,
  type Files,
  idp,
  indirectDistributionPoints,
  opensslVerdict,
  opensslVerify,
  ourVerdict,
} from './support/crl-pki.js';
import { crl, ext, type Issued, type IssueOptions, issue, NOW } from './support/issue.js';

/**
 * A CRL signer's own revocation (RFC 5280 §6.3.3 (f): the CRL issuer's path is validated,
 * revocation included). The CA certifies a separate CRL-signing key (same name, cRLSign only)
 * that signs the CRL of the CA's users, and revokes that key, when it must, on a CRL signed with
 * its own key for the signer's distribution point. The signer's path is checked one level deep,
 * as OpenSSL checks a CRL's path: the CRLs about the signer must be signed by its issuer's key
 * or by the signer itself. We ask `revocation: 'require'`, OpenSSL `-crl_check_all`.
 */
const NAME = 'Issuing CA';
const LEAF_POINT = 'http://pki.example/users.crl';
const SIGNER_POINT = 'http://pki.example/signers.crl';
const NO_CHANGE = '2031-01-01T00:00:00Z';
const LEAF_SERIAL = 8001;

let root: Issued;
let inter: Issued;
let signer: Issued;
let leaf: Issued;

/** A CRL-signing key of the issuing CA, its serial `serial`. */
const signerCert = (
  serial: number,
  extra: IssueOptions['extra'] = [distributionPoints(SIGNER_POINT)],
) => issue({ subject: NAME, issuer: inter, keyUsage: ['cRLSign'], serial, extra });

beforeAll(async () => {
  root = await issue({ subject: 'Signer Revocation Root', ca: true });
  inter = await issue({ subject: NAME, issuer: root, ca: true });
  signer = await signerCert(8100);
  leaf = await issue({
    subject: 'Alice',
    issuer: inter,
    serial: LEAF_SERIAL,
    extra: [distributionPoints(LEAF_POINT)],
  });
});

/** The users' CRL at LEAF_POINT (or, not `scoped`, of every certificate), signed by `by`. */
const usersCrl = (by: Issued, revoked: number[], scoped = true) =>
  crl(inter, revoked, NO_CHANGE, by.keys, undefined, {
    extra: [
      ...(scoped ? [idp({ point: LEAF_POINT })] : []),
      ext(
        '2.5.29.35',
        new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({ valueHex: by.ski.slice().buffer }),
        }),
      ),
    ],
  });
/** The CA's own CRL for its CRL signers, signed with the CA's key. */
const signersCrl = (revoked: number[]) =>
  crl(inter, revoked, NO_CHANGE, inter.keys, undefined, { extra: [idp({ point: SIGNER_POINT })] });

async function verdicts(crls: Uint8Array[], signers = [signer], certificate = leaf) {
  const files: Files = {
    leaf: certificate.der,
    intermediates: [inter.der, ...signers.map((cert) => cert.der)],
    anchors: [root.der],
    crls: [await crl(root, []), ...crls],
  };
  return { ours: await ourVerdict(files), openssl: openssl(files), files };
}

/**
 * OpenSSL's answer: 'valid', 'revoked' (the certificate itself), 'crl-path' when the path of
 * the CRL's signer fails (error 54, "CRL path validation error": the signer revoked, its status
 * unknown, its path refused), else its message; 'skipped' without OpenSSL.
 */
function openssl(files: Files): string {
  if (!hasOpenssl) return 'skipped';
  const { output } = opensslVerify(files);
  if (/error 54 at 0 depth lookup: CRL path validation error/.test(output)) return 'crl-path';
  return opensslVerdict(files);
}

/** What OpenSSL is expected to answer, when it runs. */
const fromOpenssl = (answer: string) => (hasOpenssl ? answer : 'skipped');

describe(`a CRL signer's own revocation (OpenSSL's side ${hasOpenssl ? 'run' : `skipped: ${NEEDS_OPENSSL}`})`, () => {
  it('a signer in good standing: its CRL decides', async () => {
    const clean = await verdicts([await signersCrl([]), await usersCrl(signer, [])]);
    expect(clean).toMatchObject({ ours: 'valid', openssl: fromOpenssl('valid') });
    const listed = await verdicts([await signersCrl([]), await usersCrl(signer, [LEAF_SERIAL])]);
    expect(listed).toMatchObject({ ours: 'revoked', openssl: fromOpenssl('revoked') });
  });

  it('a signer the CA revoked: the CRL it signed cannot be used', async () => {
    const both = await verdicts([await signersCrl([8100]), await usersCrl(signer, [])]);
    expect(both).toMatchObject({ ours: 'crl-invalid', openssl: fromOpenssl('crl-path') });
    // Not passed over under 'if-available' either: the certificate's own CRL is unusable.
    expect(await ourVerdict(both.files, 'if-available')).toBe('crl-invalid');
  });

  it('a signer whose status no CRL gives: undecided when revocation is required', async () => {
    const both = await verdicts([await usersCrl(signer, [])]);
    expect(both).toMatchObject({ ours: 'crl-invalid', openssl: fromOpenssl('crl-path') });
    expect(await ourVerdict(both.files, 'if-available')).toBe('valid');
  });

  it('a signer’s CRL that covers the signer too speaks for it, one level deep', async () => {
    // No distribution points: the signer's CRL of every certificate covers the signer itself.
    const plain = await signerCert(8200, []);
    const clean = await verdicts([await usersCrl(plain, [], false)], [plain]);
    // OpenSSL refuses the recursion (the CRL's path needs that CRL again), so a CA that signs
    // every CRL with a separate key fails there under -crl_check_all. We take the CRL as the
    // signer's word on itself, one level deep: it cannot clear a signer the CA's own CRL
    // revokes (above), and when it lists its own signer, the signer is revoked.
    expect(clean).toMatchObject({ ours: 'valid', openssl: fromOpenssl('crl-path') });
    const selfRevoked = await verdicts([await usersCrl(plain, [8200], false)], [plain]);
    expect(selfRevoked).toMatchObject({ ours: 'crl-invalid', openssl: fromOpenssl('crl-path') });
  });

  it('an indirect CRL’s issuer revoked by its own CA: its CRL cannot be used', async () => {
    const authority = await issue({
      subject: 'Revocation Authority',
      issuer: root,
      keyUsage: ['cRLSign'],
      serial: 8300,
    });
    const point = { point: LEAF_POINT, crlIssuer: 'Revocation Authority' };
    const served = await issue({
      subject: 'Bob',
      issuer: inter,
      serial: 8301,
      extra: [indirectDistributionPoints(point)],
    });
    const list = await crl(authority, [], NO_CHANGE, authority.keys, undefined, {
      extra: [idp({ point: LEAF_POINT, indirectCrl: true })],
    });
    /** Both verdicts with the root's CRL revoking `rootRevokes` (the authority's serial, or none). */
    const run = async (rootRevokes: number[]) => {
      const files: Files = {
        leaf: served.der,
        intermediates: [inter.der, authority.der],
        anchors: [root.der],
        crls: [await crl(root, rootRevokes), list],
      };
      return { ours: await ourVerdict(files), openssl: openssl(files) };
    };
    expect(await run([])).toEqual({ ours: 'valid', openssl: fromOpenssl('valid') });
    expect(await run([8300])).toEqual({ ours: 'crl-invalid', openssl: fromOpenssl('crl-path') });
  });

  it('the signer’s path counts against the work allowed', async () => {
    const { files } = await verdicts([await signersCrl([]), await usersCrl(signer, [])]);
    const check = (maxWork?: number) =>
      validateCertificatePath({
        leaf: files.leaf,
        intermediates: files.intermediates ?? [],
        trustAnchors: files.anchors,
        crls: files.crls,
        revocation: 'require',
        time: NOW,
        ...(maxWork === undefined ? {} : { maxWork }),
      });
    expect((await check()).valid).toBe(true);
    // Four signature checks: the leaf's, the CRL's under the CA's key, the CA's path, the
    // CRL's under the signer's key; the signer's own path needs a fifth.
    const bounded = await check(2);
    expect(bounded.valid ? 'valid' : bounded.reason).toBe('too-much-work');
  });
});
