import { afterAll, describe, expect, it } from 'vitest';
import { EnrollmentBuilder } from '../../src/enrollment/index.js';
import { verifiedCard } from '../support/cards.js';
import { certificateFor } from '../support/certificate.js';
import { hasOpenssl, NEEDS_OPENSSL, openssl, scratch } from '../support/openssl.js';

/**
 * OpenSSL, an implementation we did not write, reads what the builder makes: `openssl req
 * -verify` accepts every PKCS#10 request, `openssl asn1parse` shows AD CS's attributes, and
 * `openssl cms -verify` accepts every CMC request given the signer's certificate.
 */
const files = scratch();
afterAll(() => files.remove());

const variants = [
  ['RSA-2048', 'SHA-256'],
  ['RSA-2048', 'SHA-1'],
  ['RSA-3072', 'SHA-384'],
  ['ECDSA-P256', 'SHA-256'],
  ['ECDSA-P256', 'SHA-512'],
] as const;

describe.skipIf(!hasOpenssl)(`OpenSSL reads our requests (${NEEDS_OPENSSL})`, () => {
  it.each(variants)(
    'openssl req -verify accepts a PKCS#10 request (%s, %s)',
    async (algorithm, hash) => {
      const c = await verifiedCard();
      const request = await new EnrollmentBuilder()
        .template('SmartcardLogon')
        .algorithm(algorithm)
        .keySpec(algorithm.startsWith('ECDSA') ? 'signature' : 'exchange')
        .hash(hash)
        .upn('alice@contoso.com')
        .email('alice@contoso.com')
        .subject('Alice Example')
        .build(c);
      const path = files.file(`req-${algorithm}-${hash}.pem`, request.pem);
      const out = openssl('req', '-in', path, '-verify', '-noout', '-text');
      expect(out).toContain('verify OK');
      expect(out).toContain('othername: UPN::alice@contoso.com');
      expect(out).toContain('email:alice@contoso.com');
      expect(out).toContain(
        algorithm.startsWith('ECDSA')
          ? 'Digital Signature\n'
          : 'Digital Signature, Key Encipherment',
      );
      const parsed = openssl('asn1parse', '-in', path);
      for (const id of [
        '1.3.6.1.4.1.311.20.2',
        '1.3.6.1.4.1.311.13.2.2',
        '1.3.6.1.4.1.311.13.2.1',
      ]) {
        expect(parsed).toContain(`:${id}`);
      }
      expect(parsed).toContain('Extension Request');
      expect(parsed).toContain('BMPSTRING');
    },
  );

  it.each(variants)(
    'openssl cms -verify accepts a CMC request (%s, %s)',
    async (algorithm, hash) => {
      const c = await verifiedCard();
      const request = await new EnrollmentBuilder()
        .template('SmartcardLogon')
        .algorithm(algorithm)
        .keySpec(algorithm.startsWith('ECDSA') ? 'signature' : 'exchange')
        .hash(hash)
        .format('cmc')
        .upn('alice@contoso.com')
        .build(c);
      const key = (await c.containers()).find((k) => k.name === request.container);
      const signer = files.file(
        `signer-${algorithm}-${hash}.der`,
        await certificateFor(key?.publicKey as Uint8Array),
      );
      const path = files.file(`cmc-${algorithm}-${hash}.pem`, request.pem);
      const content = files.file(`pkidata-${algorithm}-${hash}.der`, '');
      const out = openssl(
        'cms',
        '-verify',
        '-noverify',
        '-in',
        path,
        '-inform',
        'PEM',
        '-certfile',
        signer,
        '-out',
        content,
      );
      expect(out).toContain('Verification successful');
      const pkiData = openssl('asn1parse', '-inform', 'DER', '-in', content, '-i');
      expect(pkiData).toMatch(/cont \[ 0 \]/);
    },
  );

  it('the legacy Smartcard User preset, as openssl sees it: sha1 CMC with a SubjectKeyIdentifier signer', async () => {
    const c = await verifiedCard();
    const request = await EnrollmentBuilder.smartcardUserLegacySha1()
      .upn('alice@contoso.com')
      .email('alice@contoso.com')
      .build(c);
    const path = files.file('legacy-sha1.pem', request.pem);
    const printed = openssl('cms', '-cmsout', '-print', '-in', path, '-inform', 'PEM');
    expect(printed).toContain('d.subjectKeyIdentifier');
    expect(printed).toContain('sha1WithRSAEncryption');
    expect(printed).toContain('id-cct-PKIData');
  });
});
