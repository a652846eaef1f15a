/**
 * The OCSP client judging responses built with pkijs: the three statuses, who may sign
 * (the issuer, a delegated responder with or without ocsp-nocheck), the times and the nonce.
 * Hard-fail mode throughout, so every unusable response shows as `ocsp-invalid`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type OcspOptions,
  type PathResult,
  validateCertificatePath,
} from '../../../../src/server/index.js';
import { crl, issue, NOW } from '../support/issue.js';
import {
  type Answer,
  errorResponse,
  fetcher,
  OCSP_URL,
  ocspPki,
  ocspResponse,
  type Pki,
  responder,
} from './support.js';

let pki: Pki;
beforeAll(async () => {
  pki = await ocspPki();
});

/** Validates the card's certificate with a responder answering `answer` (its nonce echoed). */
async function validateWith(
  answer: Partial<Answer> | ((nonce?: Uint8Array) => Promise<Uint8Array>),
  ocsp: Partial<OcspOptions> = {},
  crls: Uint8Array[] = [],
): Promise<PathResult> {
  const responder = fetcher(async (request) =>
    typeof answer === 'function'
      ? answer(request.nonce)
      : ocspResponse({
          cert: pki.leaf,
          issuer: pki.ca,
          ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
          ...answer,
        }),
  );
  return validateCertificatePath({
    leaf: pki.leaf.der,
    intermediates: [pki.ca.der],
    trustAnchors: [pki.root.der],
    crls,
    time: NOW,
    ocsp: { fetch: responder.fetch, mode: 'hard-fail', ...ocsp },
  });
}

const verdict = (result: PathResult) => (result.valid ? 'valid' : result.reason);

describe('OCSP statuses', () => {
  it('a good answer signed by the issuer validates', async () => {
    expect(verdict(await validateWith({}))).toBe('valid');
  });

  it('a revoked answer fails with revoked, its time and reason in the detail', async () => {
    const result = await validateWith({ status: 'revoked' });
    expect(result).toMatchObject({ valid: false, reason: 'revoked' });
    expect(result.valid || result.detail).toContain('2030-03-01T00:00:00.000Z (keyCompromise)');
  });

  it('an unknown answer is no answer: ocsp-invalid in hard-fail mode', async () => {
    const result = await validateWith({ status: 'unknown' });
    expect(result).toMatchObject({ valid: false, reason: 'ocsp-invalid' });
    expect(result.valid || result.detail).toContain('unknown');
  });

  it.each(['SHA-256', 'SHA-384'] as const)(
    'a CertID hashed with %s is recognised',
    async (hash) => {
      expect(verdict(await validateWith({ hash }))).toBe('valid');
    },
  );

  it('the responder ID may be the hash of the issuer’s key', async () => {
    expect(verdict(await validateWith({ byKey: true }))).toBe('valid');
  });

  it('tryLater, malformed bytes and a thrown fetch are ocsp-invalid', async () => {
    const tryLater = await validateWith(async () => errorResponse(3));
    expect(tryLater).toMatchObject({ reason: 'ocsp-invalid' });
    expect(tryLater.valid || tryLater.detail).toContain('tryLater');
    const garbage = await validateWith(async () => new Uint8Array([0x30, 0x80, 1, 2]));
    expect(garbage).toMatchObject({ reason: 'ocsp-invalid' });
    expect(garbage.valid || garbage.detail).toContain('malformed');
    const down = await validateWith(async () => {
      throw new Error('ECONNREFUSED');
    });
    expect(down).toMatchObject({ reason: 'ocsp-invalid' });
    expect(down.valid || down.detail).toContain(`${OCSP_URL} could not be reached (ECONNREFUSED)`);
  });

  it('a response about another certificate is ocsp-invalid', async () => {
    const result = await validateWith({ cert: pki.ca, issuer: pki.root });
    expect(result.valid || result.detail).toContain('does not answer for the certificate');
  });
});

describe('who signs', () => {
  it('a stranger’s signature is refused', async () => {
    const stranger = await issue({ subject: 'OCSP Issuing CA', ca: true });
    const result = await validateWith({ signer: stranger });
    expect(result).toMatchObject({ reason: 'ocsp-invalid' });
    expect(result.valid || result.detail).toContain('does not verify under the issuer’s key');
  });

  it('a delegated responder with ocsp-nocheck is accepted', async () => {
    const delegate = await responder(pki.ca, { nocheck: true });
    expect(verdict(await validateWith({ signer: delegate, certs: [delegate.der] }))).toBe('valid');
    const byKey = { signer: delegate, certs: [delegate.der], byKey: true };
    expect(verdict(await validateWith(byKey))).toBe('valid');
  });

  it('a delegated responder without nocheck is checked against the issuer’s CRL', async () => {
    const serial = 7001;
    const delegate = await responder(pki.ca, { serial });
    const signed = { signer: delegate, certs: [delegate.der] };
    expect(verdict(await validateWith(signed))).toBe('valid');
    expect(verdict(await validateWith(signed, {}, [await crl(pki.ca, [])]))).toBe('valid');
    const revoked = await validateWith(signed, {}, [await crl(pki.ca, [serial])]);
    expect(revoked).toMatchObject({ reason: 'ocsp-invalid' });
    expect(revoked.valid || revoked.detail).toContain('responder’s certificate');
  });

  it('a responder certificate without the OCSPSigning EKU is refused', async () => {
    const delegate = await responder(pki.ca, { eku: ['1.3.6.1.5.5.7.3.2'], nocheck: true });
    const result = await validateWith({ signer: delegate, certs: [delegate.der] });
    expect(result.valid || result.detail).toContain('lacks the OCSPSigning');
  });

  it('a responder certificate issued by another CA is refused', async () => {
    const delegate = await responder(pki.ca, { issuer: pki.root, nocheck: true });
    const result = await validateWith({ signer: delegate, certs: [delegate.der] });
    expect(result.valid || result.detail).toContain('not issued by the certificate’s issuer');
  });

  it('an expired responder certificate is refused', async () => {
    const delegate = await responder(pki.ca, { nocheck: true, notAfter: '2030-01-01T00:00:00Z' });
    const result = await validateWith({ signer: delegate, certs: [delegate.der] });
    expect(result.valid || result.detail).toContain('expired');
  });

  it('a responder named but not sent is refused', async () => {
    const delegate = await responder(pki.ca, { nocheck: true });
    const result = await validateWith({ signer: delegate });
    expect(result.valid || result.detail).toContain('neither the certificate’s issuer');
  });
});

describe('times and nonce', () => {
  it('a stale answer is refused; within the clock skew it is not', async () => {
    const stale = await validateWith({ nextUpdate: '2030-05-31T23:50:00Z' });
    expect(stale.valid || stale.detail).toContain('out of date');
    const skewed = await validateWith({ nextUpdate: '2030-05-31T23:57:00Z' });
    expect(verdict(skewed)).toBe('valid');
  });

  it('an answer from the future is refused', async () => {
    const future = await validateWith({ thisUpdate: '2030-06-01T00:10:00Z' });
    expect(future.valid || future.detail).toContain('in the future');
  });

  it('without nextUpdate, an answer is good for maxAgeMs after its thisUpdate', async () => {
    const recent = { nextUpdate: null, thisUpdate: '2030-05-31T23:30:00Z' } as const;
    expect(verdict(await validateWith(recent))).toBe('valid');
    const old = { nextUpdate: null, thisUpdate: '2030-05-31T22:00:00Z' } as const;
    expect((await validateWith(old)).valid || 'refused').toBe('refused');
    expect(verdict(await validateWith(old, { maxAgeMs: 3 * 3_600_000 }))).toBe('valid');
  });

  it('a nonce that is not the request’s is refused', async () => {
    const other = new Uint8Array([0x04, 0x02, 1, 2]);
    const result = await validateWith((nonce) =>
      ocspResponse({ cert: pki.leaf, issuer: pki.ca, ...(nonce ? { nonce: other } : {}) }),
    );
    expect(result.valid || result.detail).toContain('nonce is not the request’s');
  });

  it('a response without the nonce passes unless requireNonce', async () => {
    const noNonce = async () => ocspResponse({ cert: pki.leaf, issuer: pki.ca });
    expect(verdict(await validateWith(noNonce))).toBe('valid');
    const required = await validateWith(noNonce, { requireNonce: true });
    expect(required.valid || required.detail).toContain('does not carry the request’s nonce');
  });

  it('nonce: false sends none', async () => {
    const seen: (Uint8Array | undefined)[] = [];
    const result = await validateWith(
      async (nonce) => {
        seen.push(nonce);
        return ocspResponse({ cert: pki.leaf, issuer: pki.ca });
      },
      { nonce: false },
    );
    expect(verdict(result)).toBe('valid');
    expect(seen).toEqual([undefined]);
  });
});
