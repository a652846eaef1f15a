/**
 * Names chain as RFC 5280 §7.1 compares them: a CA whose name is a PrintableString in its own
 * certificate and a UTF8String (in another case, with doubled spaces) in what it issues is one
 * CA, for certificates and for CRLs. OpenSSL's verifier, which canonicalises names too, agrees.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../../src/lib/pem.js';
import { validateCertificatePath } from '../../../src/server/index.js';
import { hasOpenssl, NEEDS_OPENSSL, openssl, scratch } from '../../support/openssl.js';
import { crl, type Issued, issue, NOW } from './support/issue.js';

type StringType =
  | typeof asn1js.PrintableString
  | typeof asn1js.Utf8String
  | typeof asn1js.BmpString;

/** O=<organisation>, CN=<common name>, each value of the given string type. */
function written(organisation: string, common: string, type: StringType) {
  const pair = (oid: string, value: string) =>
    new pkijs.AttributeTypeAndValue({ type: oid, value: new type({ value }) });
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [pair('2.5.4.10', organisation), pair('2.5.4.3', common)],
  });
}

let root: Issued;
let leaf: Issued;
let stranger: Issued;

beforeAll(async () => {
  root = await issue({
    subject: 'Contoso Root CA',
    ca: true,
    subjectName: written('Contoso', 'Contoso Root CA', asn1js.PrintableString),
  });
  leaf = await issue({
    subject: 'Alice',
    issuer: root,
    serial: 7,
    issuerName: written('CONTOSO', ' contoso  ROOT ca', asn1js.Utf8String),
  });
  stranger = await issue({
    subject: 'Mallory',
    issuer: root,
    serial: 8,
    issuerName: written('Contoso', 'Contoso Root CB', asn1js.PrintableString),
  });
});

const validate = (der: Uint8Array, crls: Uint8Array[] = []) =>
  validateCertificatePath({ leaf: der, trustAnchors: [root.der], crls, time: NOW });

describe('names chain as RFC 5280 §7.1 compares them', () => {
  it('a PrintableString CA name matches the UTF8String its certificate names, in any case', async () => {
    const result = await validate(leaf.der);
    expect(result.valid, result.valid ? '' : result.detail).toBe(true);
  });

  it('another name does not match', async () => {
    const result = await validate(stranger.der);
    expect(result.valid).toBe(false);
  });

  it('a CRL whose issuer name is written another way is the CA’s CRL: it revokes', async () => {
    const bmpName = written('contoso', 'CONTOSO ROOT CA', asn1js.BmpString);
    const list = await crl(root, [7], undefined, root.keys, bmpName);
    const result = await validate(leaf.der, [list]);
    expect(result.valid ? 'valid' : result.reason).toBe('revoked');
  });

  it.skipIf(!hasOpenssl)(`OpenSSL's verifier agrees (${NEEDS_OPENSSL})`, () => {
    const files = scratch();
    try {
      const anchor = files.file('root.pem', toPem('CERTIFICATE', root.der));
      const attime = String(Math.floor(NOW.getTime() / 1000));
      const verify = (der: Uint8Array, name: string) => {
        const path = files.file(name, toPem('CERTIFICATE', der));
        try {
          return openssl('verify', '-attime', attime, '-CAfile', anchor, path).trim();
        } catch (error) {
          return (error as Error).message;
        }
      };
      expect(verify(leaf.der, 'leaf.pem')).toMatch(/leaf\.pem: OK$/);
      expect(verify(stranger.der, 'stranger.pem')).toMatch(/unable to get local issuer/);
    } finally {
      files.remove();
    }
  });
});
