/**
 * What OCSP decides beside CRLs: hard- and soft-fail, `revocation: 'require'` met by a good
 * answer, either source revoking, the responder's URL, stapled responses, one request per
 * certificate, the cache, and the option checks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../src/errors.js';
import {
  OcspCache,
  type OcspOptions,
  type PathResult,
  validateCertificatePath,
} from '../../../../src/server/index.js';
import { crl, NOW } from '../support/issue.js';
import {
  aia,
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

const verdict = (result: PathResult) => (result.valid ? 'valid' : result.reason);

/** A responder that answers `status` for the card's certificate (echoing the nonce). */
function responderSaying(status: 'good' | 'revoked' | 'unknown', which: Pki = pki) {
  return fetcher(async (request) =>
    ocspResponse({
      cert: which.leaf,
      issuer: which.ca,
      status,
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    }),
  );
}

function validate(
  ocsp: OcspOptions,
  more: { crls?: readonly Uint8Array[]; revocation?: 'require'; time?: Date; which?: Pki } = {},
) {
  const which = more.which ?? pki;
  return validateCertificatePath({
    leaf: which.leaf.der,
    intermediates: [which.ca.der],
    trustAnchors: [which.root.der],
    crls: more.crls ?? [],
    time: more.time ?? NOW,
    ocsp,
    ...(more.revocation === undefined ? {} : { revocation: more.revocation }),
  });
}

describe('hard-fail and soft-fail', () => {
  const down = async () => {
    throw new Error('timeout');
  };

  it('a responder that cannot answer fails the path only in hard-fail mode', async () => {
    expect(verdict(await validate({ fetch: down, mode: 'hard-fail' }))).toBe('ocsp-invalid');
    expect(verdict(await validate({ fetch: down, mode: 'soft-fail' }))).toBe('valid');
    expect(verdict(await validate({ fetch: down }))).toBe('valid');
    expect(verdict(await validate({ fetch: async () => errorResponse(3) }))).toBe('valid');
  });

  it('soft-fail leaves the decision to the CRLs and revocation', async () => {
    const crls = [await crl(pki.ca, [1000]), await crl(pki.root, [])];
    expect(verdict(await validate({ fetch: down }, { crls }))).toBe('revoked');
    expect(verdict(await validate({ fetch: down }, { revocation: 'require' }))).toBe('crl-invalid');
  });

  it('a revoked answer fails the path in either mode', async () => {
    const { fetch } = responderSaying('revoked');
    expect(verdict(await validate({ fetch }))).toBe('revoked');
    expect(verdict(await validate({ fetch, mode: 'hard-fail' }))).toBe('revoked');
  });

  it('a certificate without an OCSP URL is not checked, even in hard-fail mode', async () => {
    const plain = await ocspPki(null);
    const { fetch, calls } = responderSaying('revoked', plain);
    expect(verdict(await validate({ fetch, mode: 'hard-fail' }, { which: plain }))).toBe('valid');
    expect(calls).toEqual([]);
    const configured = { fetch, responderUrl: 'http://ocsp.example/' };
    expect(verdict(await validate(configured, { which: plain }))).toBe('revoked');
    expect(calls).toEqual(['http://ocsp.example/']);
  });

  it('overrideResponderUrl asks the configured responder instead of the AIA one', async () => {
    const { fetch, calls } = responderSaying('good');
    const override = {
      fetch,
      responderUrl: 'https://proxy.example/ocsp',
      overrideResponderUrl: true,
    };
    expect(verdict(await validate(override))).toBe('valid');
    // The card's certificate and the issuing CA's (which has no AIA) both go to the proxy.
    expect(calls).toEqual(['https://proxy.example/ocsp', 'https://proxy.example/ocsp']);
    await validate({ fetch, responderUrl: 'https://proxy.example/ocsp' });
    // Without the override, the card's certificate goes to its AIA URL, the CA's to the proxy.
    expect(calls.slice(2)).toEqual([OCSP_URL, 'https://proxy.example/ocsp']);
  });
});

describe('OCSP and CRLs together', () => {
  it("a good answer satisfies revocation: 'require' without the issuer's CRL", async () => {
    const { fetch } = responderSaying('good');
    // The root's CRL covers the issuing CA, which names no responder.
    const crls = [await crl(pki.root, [])];
    expect(verdict(await validate({ fetch }, { revocation: 'require', crls }))).toBe('valid');
    expect(verdict(await validate({ fetch }, { revocation: 'require' }))).toBe('crl-invalid');
  });

  it('either can revoke: a CRL listing the card wins over a good answer', async () => {
    const { fetch } = responderSaying('good');
    const crls = [await crl(pki.ca, [1000])];
    expect(verdict(await validate({ fetch }, { crls }))).toBe('revoked');
    const revoked = responderSaying('revoked');
    const clean = [await crl(pki.ca, [])];
    expect(verdict(await validate({ fetch: revoked.fetch }, { crls: clean }))).toBe('revoked');
  });

  it("under 'require', a delegated responder without nocheck needs the issuer's CRL", async () => {
    const delegate = await responder(pki.ca);
    const { fetch } = fetcher(async (request) =>
      ocspResponse({
        cert: pki.leaf,
        issuer: pki.ca,
        signer: delegate,
        certs: [delegate.der],
        ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
      }),
    );
    const rootCrl = await crl(pki.root, []);
    const required = { revocation: 'require', crls: [rootCrl] } as const;
    const hard = await validate({ fetch, mode: 'hard-fail' }, required);
    expect(hard).toMatchObject({ valid: false, reason: 'ocsp-invalid' });
    expect(hard.valid || hard.detail).toContain('revocation of its responder’s certificate');
    expect(verdict(await validate({ fetch }, required))).toBe('crl-invalid');
    expect(verdict(await validate({ fetch }, { crls: [rootCrl] }))).toBe('valid');
    const both = { revocation: 'require', crls: [rootCrl, await crl(pki.ca, [])] } as const;
    expect(verdict(await validate({ fetch, mode: 'hard-fail' }, both))).toBe('valid');
  });

  it('an unusable CRL still fails the path beside a good answer', async () => {
    const { fetch } = responderSaying('good');
    const stale = [await crl(pki.ca, [], '2030-02-01T00:00:00Z')];
    expect(verdict(await validate({ fetch }, { crls: stale }))).toBe('crl-invalid');
  });

  it('every certificate below the anchor with a URL is asked about, each once', async () => {
    const root = pki.root;
    const { issue } = await import('../support/issue.js');
    const ca = await issue({
      subject: 'OCSP Issuing CA 2',
      issuer: root,
      ca: true,
      extra: [aia('http://root-ocsp.example/')],
    });
    const leaf = await issue({ subject: 'Bob', issuer: ca, serial: 2000, extra: [aia(OCSP_URL)] });
    const which = { root, ca, leaf };
    const { fetch, calls } = fetcher(async (request, url) => {
      const asked = url === OCSP_URL ? { cert: leaf, issuer: ca } : { cert: ca, issuer: root };
      return ocspResponse({ ...asked, ...(request.nonce ? { nonce: request.nonce } : {}) });
    });
    expect(verdict(await validate({ fetch, mode: 'hard-fail' }, { which }))).toBe('valid');
    expect(calls.sort()).toEqual([OCSP_URL, 'http://root-ocsp.example/']);
  });
});

describe('one request per certificate', () => {
  it('is sent once however many paths the search tries', async () => {
    const { issue } = await import('../support/issue.js');
    // Two certificates of the issuing CA's key: the first leads to no anchor.
    const stranger = await issue({ subject: 'Untrusted Root', ca: true });
    const dead = await issue({
      subject: 'OCSP Issuing CA',
      issuer: stranger,
      ca: true,
      keys: pki.ca.keys,
      ski: pki.ca.ski,
    });
    const { fetch, calls } = responderSaying('good');
    const result = await validateCertificatePath({
      leaf: pki.leaf.der,
      intermediates: [dead.der, pki.ca.der],
      trustAnchors: [pki.root.der],
      time: NOW,
      ocsp: { fetch, mode: 'hard-fail' },
    });
    expect(verdict(result)).toBe('valid');
    expect(calls).toEqual([OCSP_URL]);
  });
});

describe('stapled responses and the cache', () => {
  it('a stapled response is used before asking', async () => {
    const { fetch, calls } = responderSaying('good');
    const stapled = await ocspResponse({ cert: pki.leaf, issuer: pki.ca, status: 'revoked' });
    expect(verdict(await validate({ fetch, responses: [stapled] }))).toBe('revoked');
    expect(calls).toEqual([]);
    // A stapled response about another certificate, or a broken one, is passed over.
    const stranger = await ocspPki();
    const other = await ocspResponse({
      cert: stranger.leaf,
      issuer: stranger.ca,
      status: 'revoked',
    });
    const broken = new Uint8Array([1, 2, 3]);
    expect(verdict(await validate({ fetch, responses: [other, broken] }))).toBe('valid');
    expect(calls).toHaveLength(1);
  });

  it('a stale stapled response makes the client ask the responder', async () => {
    const { fetch, calls } = responderSaying('good');
    const stale = await ocspResponse({
      cert: pki.leaf,
      issuer: pki.ca,
      nextUpdate: '2030-05-31T23:10:00Z',
    });
    expect(verdict(await validate({ fetch, responses: [stale], mode: 'hard-fail' }))).toBe('valid');
    expect(calls).toHaveLength(1);
    const noUrl = await ocspPki(null);
    const staleOther = await ocspResponse({
      cert: noUrl.leaf,
      issuer: noUrl.ca,
      nextUpdate: '2030-05-31T23:10:00Z',
    });
    const result = await validate(
      { fetch, responses: [staleOther], mode: 'hard-fail' },
      { which: noUrl },
    );
    expect(result.valid || result.detail).toContain('a stapled response cannot be used');
  });

  it('the cache answers until nextUpdate, then the responder is asked again', async () => {
    const cache = new OcspCache({ capacity: 2 });
    const { fetch, calls } = responderSaying('good');
    expect(verdict(await validate({ fetch, cache }))).toBe('valid');
    expect(verdict(await validate({ fetch, cache }))).toBe('valid');
    expect(calls).toHaveLength(1);
    expect(cache.size).toBe(1);
    // nextUpdate is 2030-06-01T23:00Z; five minutes of skew later the answer has expired.
    const later = new Date('2030-06-01T23:06:00Z');
    await validate({ fetch, cache }, { time: later });
    expect(calls).toHaveLength(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('the cache keeps a revoked answer, and drops the least recently used past capacity', async () => {
    const cache = new OcspCache({ capacity: 1 });
    const revoked = responderSaying('revoked');
    expect(verdict(await validate({ fetch: revoked.fetch, cache }))).toBe('revoked');
    const good = responderSaying('good');
    expect(verdict(await validate({ fetch: good.fetch, cache }))).toBe('revoked');
    expect(good.calls).toHaveLength(0);
    const other = await ocspPki();
    const otherResponder = responderSaying('good', other);
    await validate({ fetch: otherResponder.fetch, cache }, { which: other });
    expect(cache.size).toBe(1);
    expect(verdict(await validate({ fetch: good.fetch, cache }))).toBe('valid');
  });
});

describe('options', () => {
  const fetch = async () => new Uint8Array();
  it.each([
    [{ fetch: 'no' }, 'ocsp.fetch'],
    [{ fetch, mode: 'strict' }, 'ocsp.mode'],
    [{ fetch, responderUrl: 'ldap://x' }, 'ocsp.responderUrl'],
    [{ fetch, overrideResponderUrl: true }, 'needs ocsp.responderUrl'],
    [{ fetch, nonce: false, requireNonce: true }, 'ocsp.requireNonce'],
    [{ fetch, certIdHash: 'MD5' }, 'ocsp.certIdHash'],
    [{ fetch, maxAgeMs: -1 }, 'ocsp.maxAgeMs'],
    [{ fetch, responses: ['x'] }, 'ocsp.responses'],
    [{ fetch, cache: new Map() }, 'ocsp.cache'],
  ])('%o is refused', async (ocsp, words) => {
    const run = validate(ocsp as unknown as OcspOptions);
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(words);
  });

  it('an OcspCache needs a non-negative integer capacity', () => {
    expect(() => new OcspCache({ capacity: 1.5 })).toThrow(InvalidInputError);
    expect(new OcspCache().capacity).toBe(10_000);
  });
});
