import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../src/enrollment/ca/index.js';
import {
  SmartcardLogonTemplate,
  SmartcardUserTemplate,
} from '../../../src/enrollment/templates.js';
import { codeOf } from '../../support/errors.js';
import {
  AGENT,
  ALICE,
  BOB,
  DIRECTORY,
  extKeyUsageOf,
  issuedOf,
  START,
  testCa,
  testClock,
} from '../support/ca.js';
import { ecKey, pkcs10 } from '../support/requests.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SECURE_EMAIL = '1.3.6.1.5.5.7.3.4';
const SMARTCARD_LOGON = '1.3.6.1.4.1.311.20.2.2';

function extension(der: Uint8Array, oid: string): pkijs.Extension | undefined {
  const cert = new pkijs.Certificate({ schema: asn1js.fromBER(der.slice()).result });
  return cert.extensions?.find((e) => e.extnID === oid);
}

function skiBits(spki: Uint8Array): Uint8Array<ArrayBuffer> {
  const info = new pkijs.PublicKeyInfo({ schema: asn1js.fromBER(spki.slice()).result });
  return info.subjectPublicKey.valueBlock.valueHexView.slice();
}

function signatureOid(cert: X509Certificate): string {
  const parsed = new pkijs.Certificate({ schema: asn1js.fromBER(new Uint8Array(cert.raw)).result });
  return parsed.signatureAlgorithm.algorithmId;
}

describe('CertificateAuthority.create', () => {
  it('makes a self-signed root that issues when there is no issuing CA', async () => {
    const ca = await testCa();
    const root = new X509Certificate(ca.root);
    expect(root.subject).toBe('CN=smartcard-2fa Root CA');
    expect(root.ca).toBe(true);
    expect(root.checkIssued(root)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(ca.issuer).toEqual(ca.root);
    expect(ca.chain).toEqual([ca.root]);
    expect(ca.pem.root).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(new X509Certificate(ca.pem.root).raw).toEqual(Buffer.from(ca.root));
  });

  it('makes an issuing CA certified by the root, with pathlen 0 and an AKI', async () => {
    const ca = await testCa({ name: 'Contoso Root CA', issuing: { name: 'Contoso Issuing CA' } });
    const root = new X509Certificate(ca.root);
    const issuer = new X509Certificate(ca.issuer);
    expect(issuer.subject).toBe('CN=Contoso Issuing CA');
    expect(issuer.issuer).toBe('CN=Contoso Root CA');
    expect(issuer.checkIssued(root)).toBe(true);
    expect(issuer.verify(root.publicKey)).toBe(true);
    expect(ca.chain.map((c) => new X509Certificate(c).subject)).toEqual([
      'CN=Contoso Issuing CA',
      'CN=Contoso Root CA',
    ]);
    const constraints = extension(ca.issuer, '2.5.29.19');
    expect(constraints?.critical).toBe(true);
    expect(constraints?.parsedValue).toMatchObject({ cA: true, pathLenConstraint: 0 });
    expect(ca.pem.chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it('makes RSA-2048 CAs by default, signing with SHA-256', async () => {
    const ca = await CertificateAuthority.create({ directory: DIRECTORY, issuing: true });
    const root = new X509Certificate(ca.root);
    expect(root.publicKey.asymmetricKeyType).toBe('rsa');
    expect(root.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const issued = await ca.issue(await pkcs10(await ecKey(), { template: 'SmartcardUser' }), {
      requester: ALICE.account,
    });
    expect(issuedOf(issued).verify(new X509Certificate(ca.issuer).publicKey)).toBe(true);
    expect(signatureOid(issuedOf(issued))).toBe('1.2.840.113549.1.1.11'); // SHA-256, not SHA-1
    expect(signatureOid(new X509Certificate(ca.issuer))).toBe('1.2.840.113549.1.1.11');
  });

  it('generates CA keys with the WebCrypto it is given, not extractable', async () => {
    const extractable: unknown[] = [];
    const subtle = globalThis.crypto.subtle;
    const spy = new Proxy(subtle, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property === 'generateKey') {
          return (...args: Parameters<SubtleCrypto['generateKey']>) => {
            extractable.push(args[1]);
            return target.generateKey(...args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const injected = {
      subtle: spy,
      getRandomValues: <T extends ArrayBufferView>(a: T) => globalThis.crypto.getRandomValues(a),
    } as unknown as Crypto;
    await testCa({ issuing: true, crypto: injected });
    expect(extractable).toEqual([false, false]);
  });

  it('refuses bad options with ERR_INVALID_INPUT', async () => {
    const bad = [
      { name: '' },
      { name: 'x'.repeat(65) },
      { issuing: { name: '' } },
      { keyAlgorithm: 'RSA-1024' as 'RSA-2048' },
      { crlUrl: 'not a url' },
      { crlUrl: 'file:///etc/passwd' },
      { templates: [] },
      { templates: [SmartcardUserTemplate, SmartcardUserTemplate] },
      { crlValidityDays: 0 },
      { approvalTemplates: ['SmartcardUsr'] },
      { templates: [{ ...SmartcardUserTemplate, extendedKeyUsages: ['client auth'] }] },
      { templates: [{ ...SmartcardUserTemplate, keyUsage: ['signing' as 'cRLSign'] }] },
      { templates: [{ ...SmartcardUserTemplate, validityDays: 0 }] },
      { templates: [{ ...SmartcardUserTemplate, oid: '1.2.x' }] },
      { directory: 'LDAP' as unknown as [] },
    ];
    for (const options of bad) {
      expect(await codeOf(testCa(options)), JSON.stringify(options)).toBe('ERR_INVALID_INPUT');
    }
  });
});

describe('an issued certificate', () => {
  it('has the subject, SAN, EKUs, key usage and extensions of the template and directory', async () => {
    const clock = testClock();
    const ca = await testCa({ issuing: true, clock, crlUrl: 'http://pki.contoso.test/crl/a.crl' });
    const key = await ecKey();
    const request = await pkcs10(key, {
      template: 'SmartcardUser',
      commonName: 'Someone Else',
      san: { upn: 'mallory@evil.test', email: 'mallory@evil.test' },
    });
    const disposition = await ca.issue(request, { requester: 'contoso\\ALICE' });
    const cert = issuedOf(disposition);
    const issuer = new X509Certificate(ca.issuer);
    expect(cert.checkIssued(issuer)).toBe(true);
    expect(cert.verify(issuer.publicKey)).toBe(true);
    expect(cert.subject.split('\n')).toEqual([
      'DC=test',
      'DC=contoso',
      'OU=Corp',
      'OU=Users',
      'CN=Alice Example',
    ]);
    expect(cert.issuer).toBe('CN=smartcard-2fa Issuing CA');
    expect(cert.subjectAltName).toBe('othername:UPN:alice@contoso.test, email:alice@contoso.test');
    expect(extKeyUsageOf(cert).sort()).toEqual([CLIENT_AUTH, SECURE_EMAIL, SMARTCARD_LOGON].sort());
    const der = new Uint8Array(cert.raw);
    const keyUsage = extension(der, '2.5.29.15');
    expect(keyUsage?.critical).toBe(true);
    // An EC key: digitalSignature only; keyEncipherment is never given to EC keys (RFC 5480 §3).
    expect(Buffer.from(keyUsage?.extnValue.valueBlock.valueHexView ?? []).toString('hex')).toBe(
      '03020780',
    );
    expect(cert.ca).toBe(false);
    expect(cert.publicKey.export({ format: 'der', type: 'spki' })).toEqual(Buffer.from(key.spki));
    expect(new Date(cert.validFrom).getTime()).toBe(START - 5 * 60_000);
    expect(new Date(cert.validTo).getTime()).toBe(START + 365 * 86_400_000);
    expect(cert.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
    expect(disposition).toMatchObject({
      status: 'issued',
      requestId: 1,
      serialNumber: cert.serialNumber.toLowerCase(),
    });
    expect(disposition.status === 'issued' && disposition.pem).toMatch(/BEGIN CERTIFICATE/);
    const ski = await crypto.subtle.digest('SHA-1', skiBits(key.spki));
    expect(extension(der, '2.5.29.14')?.parsedValue?.valueBlock.valueHexView).toEqual(
      new Uint8Array(ski),
    );
    const issuerSki = extension(ca.issuer, '2.5.29.14')?.parsedValue?.valueBlock.valueHexView;
    const aki = extension(der, '2.5.29.35')?.parsedValue as pkijs.AuthorityKeyIdentifier;
    expect(aki.keyIdentifier?.valueBlock.valueHexView).toEqual(issuerSki);
    const crlDp = extension(der, '2.5.29.31')?.parsedValue as pkijs.CRLDistributionPoints;
    const [point] = crlDp.distributionPoints;
    expect(point?.distributionPoint).toEqual([
      expect.objectContaining({ type: 6, value: 'http://pki.contoso.test/crl/a.crl' }),
    ]);
    const constraints = extension(der, '2.5.29.19');
    expect(constraints?.critical).toBe(true);
    expect(constraints?.parsedValue).toMatchObject({ cA: false });
  });

  it('is signed with ECDSA SHA-256 by an ECDSA CA', async () => {
    const ec = await testCa();
    const d = await ec.issue(await pkcs10(await ecKey(), { template: 'SmartcardUser' }), {
      requester: ALICE.account,
    });
    expect(signatureOid(issuedOf(d))).toBe('1.2.840.10045.4.3.2');
    expect(signatureOid(new X509Certificate(ec.root))).toBe('1.2.840.10045.4.3.2');
  });

  it('never outlives the CA, and takes its validity from the template', async () => {
    const clock = testClock();
    const ca = await testCa({ clock });
    clock.advance(20 * 365 * 86_400_000 - 100 * 86_400_000); // 100 days before the root expires
    const d = await ca.issue(await pkcs10(await ecKey(), { template: 'SmartcardUser' }), {
      requester: ALICE.account,
    });
    const cert = issuedOf(d);
    expect(cert.validTo).toBe(new X509Certificate(ca.root).validTo);
    const agent = await testCa({ clock: testClock() });
    const a = await agent.issue(await pkcs10(await ecKey(), { template: 'EnrollmentAgent' }), {
      requester: AGENT.account,
    });
    expect(new Date(issuedOf(a).validTo).getTime()).toBe(START + 730 * 86_400_000);
    expect(extKeyUsageOf(issuedOf(a))).toEqual(['1.3.6.1.4.1.311.20.2.1']);
  });

  it('gets the SAN from the directory only: no e-mail there, none in the certificate', async () => {
    const ca = await testCa();
    const request = await pkcs10(await ecKey(), {
      template: SmartcardLogonTemplate.name,
      san: { email: 'bob@evil.test' },
    });
    const cert = issuedOf(await ca.issue(request, { requester: BOB.account }));
    expect(cert.subject).toBe('CN=Bob Example');
    expect(cert.subjectAltName).toBe('othername:UPN:bob@contoso.test');
    expect(extKeyUsageOf(cert).sort()).toEqual([CLIENT_AUTH, SMARTCARD_LOGON].sort());
  });

  it('has a fresh random serial each time', async () => {
    const ca = await testCa();
    const serials = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const request = await pkcs10(await ecKey(), { template: 'SmartcardUser' });
      const d = await ca.issue(request, { requester: ALICE.account });
      serials.add(issuedOf(d).serialNumber);
      expect(d.requestId).toBe(i + 1);
    }
    expect(serials.size).toBe(5);
  });
});
