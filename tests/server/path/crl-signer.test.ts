import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasOpenssl, NEEDS_OPENSSL } from '../../support/openssl.js';
import { type Files, opensslVerdict, ourVerdict } from './support/crl-pki.js';
import { crl, ext, type Issued, issue, newKeys } from './support/issue.js';

/**
 * A CRL signed by another key of its issuer (RFC 5280 §6.3.3 (f)): a separate CRL-signing key
 * certified by the CA, or the CA's new key after a rollover (a new CA certificate of the same
 * name from the same root). Its signer is found among the intermediates and its path validated
 * to the same trust anchor. We and `openssl verify -crl_check -extended_crl` agree.
 */
const NAME = 'Issuing CA';
const LEAF_SERIAL = 7001;

let root: Issued;
let otherRoot: Issued;
let inter: Issued;
let leaf: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'Signer Root', ca: true });
  otherRoot = await issue({ subject: 'Stranger Root', ca: true });
  inter = await issue({ subject: NAME, issuer: root, ca: true });
  leaf = await issue({ subject: 'Alice', issuer: inter, serial: LEAF_SERIAL });
});

/** The issuing CA's CRL, signed by `signer` and naming its key identifier. */
const crlSignedBy = (signer: Issued, revoked: number[] = []) =>
  crl(inter, revoked, undefined, signer.keys, undefined, {
    extra: [
      ext(
        '2.5.29.35',
        new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({ valueHex: signer.ski.slice().buffer }),
        }),
      ),
    ],
  });

async function verdicts(intermediates: Issued[], crls: Uint8Array[], anchors = [root]) {
  const files: Files = {
    leaf: leaf.der,
    intermediates: [inter.der, ...intermediates.map((cert) => cert.der)],
    anchors: anchors.map((anchor) => anchor.der),
    // The root's CRL, for the intermediates.
    crls: [await crl(root, []), ...crls],
  };
  const ours = await ourVerdict(files);
  // -crl_check, not -crl_check_all: with the latter OpenSSL also checks the CRL signer's own
  // status, against the very CRL it signed, and refuses that recursion (error 54, "CRL path
  // validation error"). We check the signer's status too, but take a CRL as its signer's word
  // on itself (crl-signer-revocation.test.ts, docs/sign-in.md).
  return { ours, openssl: hasOpenssl ? opensslVerdict(files, [], '-crl_check') : ours };
}

describe(`CRLs signed by another key of the CA (OpenSSL's side ${hasOpenssl ? 'run' : `skipped: ${NEEDS_OPENSSL}`})`, () => {
  it('a separate CRL-signing key certified by the CA', async () => {
    const signer = await issue({
      subject: NAME,
      issuer: inter,
      keys: await newKeys(),
      keyUsage: ['cRLSign'],
    });
    expect(await verdicts([signer], [await crlSignedBy(signer)])).toEqual({
      ours: 'valid',
      openssl: 'valid',
    });
    expect(await verdicts([signer], [await crlSignedBy(signer, [LEAF_SERIAL])])).toEqual({
      ours: 'revoked',
      openssl: 'revoked',
    });
  });

  it('the CA’s new key after a rollover (a new certificate of the same name from the root)', async () => {
    const renewed = await issue({ subject: NAME, issuer: root, ca: true });
    expect(await verdicts([renewed], [await crlSignedBy(renewed, [LEAF_SERIAL])])).toEqual({
      ours: 'revoked',
      openssl: 'revoked',
    });
  });

  it('a signer without cRLSign, or from another trust anchor, is not relied on', async () => {
    const noCrlSign = await issue({
      subject: NAME,
      issuer: inter,
      keys: await newKeys(),
      keyUsage: ['digitalSignature'],
    });
    const unsigned = await verdicts([noCrlSign], [await crlSignedBy(noCrlSign)]);
    expect(unsigned.ours).toBe('crl-invalid');
    expect(unsigned.openssl).not.toBe('valid');
    const stranger = await issue({ subject: NAME, issuer: otherRoot, ca: true });
    const foreign = await verdicts([stranger], [await crlSignedBy(stranger)], [root, otherRoot]);
    expect(foreign.ours).toBe('crl-invalid');
    expect(foreign.openssl).not.toBe('valid');
  });
});
