import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { derFromPem } from '../src/index.js';
import { toPem } from '../src/lib/pem.js';
import { Authenticator } from '../src/server/index.js';
import { createTestPki } from '../src/testing/index.js';
import { codeOfSync } from './support/errors.js';
import { hasOpenssl, NEEDS_OPENSSL } from './support/openssl.js';

describe('derFromPem', () => {
  it('reads every block, in order, ignoring text between them', async () => {
    const pki = await createTestPki();
    const text = `Bag Attributes\n subject=/CN=Test\n${toPem('CERTIFICATE', pki.root)}\n${toPem('CERTIFICATE', pki.issuer)}`;
    const ders = derFromPem(text, { label: 'CERTIFICATE' });
    expect(ders).toEqual([new Uint8Array(pki.root), new Uint8Array(pki.issuer)]);
  });

  it('takes CRLf line ends and any line length', () => {
    const der = new Uint8Array(200).map((_, i) => i);
    const pem = toPem('X509 CRL', der).replaceAll('\n', '\r\n');
    expect(derFromPem(pem)).toEqual([der]);
    const oneLine = pem.replace(/\r\n(?!-)/g, '');
    expect(derFromPem(oneLine, { label: ['CERTIFICATE', 'X509 CRL'] })).toEqual([der]);
  });

  it.each([
    ['not a string', () => derFromPem(42 as unknown as string)],
    ['no block', () => derFromPem('hello')],
    [
      'mismatched labels',
      () => derFromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----'),
    ],
    [
      'a header',
      () =>
        derFromPem(
          '-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END CERTIFICATE-----',
        ),
    ],
    ['bad base64', () => derFromPem('-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----')],
    [
      'non-canonical base64',
      () => derFromPem('-----BEGIN CERTIFICATE-----\nAB==\n-----END CERTIFICATE-----'),
    ],
    ['an empty block', () => derFromPem('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----')],
    [
      'another label',
      () => derFromPem(toPem('X509 CRL', new Uint8Array([1])), { label: 'CERTIFICATE' }),
    ],
  ])('refuses %s with ERR_INVALID_INPUT', (_, run) => {
    expect(codeOfSync(run)).toBe('ERR_INVALID_INPUT');
  });

  it.skipIf(!hasOpenssl)(
    `reads what OpenSSL writes, and an Authenticator takes it (${NEEDS_OPENSSL})`,
    async () => {
      const pki = await createTestPki();
      const pem = execFileSync('openssl', ['x509', '-inform', 'DER'], {
        input: pki.root,
      }).toString();
      const [root] = derFromPem(pem, { label: 'CERTIFICATE' });
      expect(root).toEqual(new Uint8Array(pki.root));
      expect(
        () => new Authenticator({ trustAnchors: [root as Uint8Array], rpId: pki.rpId }),
      ).not.toThrow();
    },
  );
});
