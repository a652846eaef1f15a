import { beforeAll, describe, expect, it } from 'vitest';
import { hasOpenssl, NEEDS_OPENSSL } from '../../support/openssl.js';
import {
  deltaIndicator,
  type Files,
  freshestCrl,
  idp,
  opensslVerdict,
  ourVerdict,
} from './support/crl-pki.js';
import { crl, type Issued, issue } from './support/issue.js';

/**
 * Delta CRLs (RFC 5280 §5.2.4, §6.3.3): a delta updates a complete CRL of the same issuer and
 * scope whose number is at least its base, and only then; removeFromCRL releases a hold. We
 * always read deltas; OpenSSL does with `-use_deltas`, and both answer the same.
 */
const KEY_COMPROMISE = 1;
const CERTIFICATE_HOLD = 6;
const REMOVE_FROM_CRL = 8;
const SERIAL = 4242;

let root: Issued;
let leaf: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'Delta Root', ca: true });
  // freshestCRL says deltas exist: we read them without it, OpenSSL only with it.
  const extra = [freshestCrl('http://pki.example/delta.crl')];
  leaf = await issue({ subject: 'Alice', issuer: root, serial: SERIAL, extra });
});

interface CrlSpec {
  number: number;
  /** The base CRL number, for a delta. */
  base?: number;
  reason?: number;
  point?: string;
}

/** A CRL of the root: complete, or a delta of `base`; listing the leaf when `reason` is given. */
const rootCrl = (spec: CrlSpec) =>
  crl(root, spec.reason === undefined ? [] : [SERIAL], undefined, root.keys, undefined, {
    number: spec.number,
    reasons: spec.reason === undefined ? {} : { [SERIAL]: spec.reason },
    extra: [
      ...(spec.base === undefined ? [] : [deltaIndicator(spec.base)]),
      ...(spec.point === undefined ? [] : [idp({ point: spec.point })]),
    ],
  });

async function verdicts(...specs: CrlSpec[]) {
  const files: Files = {
    leaf: leaf.der,
    anchors: [root.der],
    crls: await Promise.all(specs.map(rootCrl)),
  };
  const ours = await ourVerdict(files);
  return { ours, openssl: hasOpenssl ? opensslVerdict(files, ['-use_deltas']) : ours };
}

describe(`delta CRLs (OpenSSL's side ${hasOpenssl ? 'run' : `skipped: ${NEEDS_OPENSSL}`})`, () => {
  it('a delta of the base revokes what the base does not list yet', async () => {
    expect(await verdicts({ number: 10 }, { number: 11, base: 10 })).toEqual({
      ours: 'valid',
      openssl: 'valid',
    });
    expect(
      await verdicts({ number: 10 }, { number: 11, base: 10, reason: KEY_COMPROMISE }),
    ).toEqual({ ours: 'revoked', openssl: 'revoked' });
  });

  it('removeFromCRL in the delta releases a hold of the base', async () => {
    const held = { number: 10, reason: CERTIFICATE_HOLD };
    expect(await verdicts(held)).toEqual({ ours: 'revoked', openssl: 'revoked' });
    expect(await verdicts(held, { number: 11, base: 10, reason: REMOVE_FROM_CRL })).toEqual({
      ours: 'valid',
      openssl: 'valid',
    });
    // A delta based on an older complete CRL (9) still updates this one (10).
    expect(await verdicts(held, { number: 12, base: 9, reason: REMOVE_FROM_CRL })).toEqual({
      ours: 'valid',
      openssl: 'valid',
    });
  });

  it('a delta whose base is missing, or that is older than the base, is ignored', async () => {
    // Based on CRL 12, which was not given: the complete CRL 10 alone decides.
    expect(
      await verdicts({ number: 10 }, { number: 13, base: 12, reason: KEY_COMPROMISE }),
    ).toEqual({ ours: 'valid', openssl: 'valid' });
    // Not newer than the complete CRL: it adds nothing.
    expect(
      await verdicts(
        { number: 10, reason: CERTIFICATE_HOLD },
        { number: 9, base: 8, reason: REMOVE_FROM_CRL },
      ),
    ).toEqual({ ours: 'revoked', openssl: 'revoked' });
  });

  it('a delta alone decides nothing: with revocation required, the status is undetermined', async () => {
    expect(await verdicts({ number: 11, base: 10, reason: KEY_COMPROMISE })).toEqual({
      ours: 'crl-invalid',
      openssl: 'crl-invalid',
    });
    const files = { leaf: leaf.der, anchors: [root.der] };
    const delta = await rootCrl({ number: 11, base: 10 });
    expect(await ourVerdict({ ...files, crls: [delta] }, 'if-available')).toBe('valid');
  });

  it('a delta of another scope does not update the complete CRL', async () => {
    const other = { number: 11, base: 10, reason: KEY_COMPROMISE, point: 'http://pki.example/d' };
    expect(await verdicts({ number: 10 }, other)).toEqual({ ours: 'valid', openssl: 'valid' });
  });
});
