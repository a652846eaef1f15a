import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import type { IssuableTemplate } from '../../../src/enrollment/ca/index.js';
import {
  SmartcardLogonTemplate,
  SmartcardUserTemplate,
} from '../../../src/enrollment/templates.js';
import { codeOf } from '../../support/errors.js';
import { ALICE, BOB, extKeyUsageOf, issuedOf, testCa } from '../support/ca.js';
import { ecKey, type Pkcs10Options, pkcs10, rsaKey, rsaKeyOfSize } from '../support/requests.js';

const alice = { requester: ALICE.account };

async function templateOf(options: Pkcs10Options, template?: string, ca = testCa()) {
  const request = await pkcs10(await ecKey(), options);
  const d = await (await ca).issue(request, { ...alice, ...(template ? { template } : {}) });
  return d.status === 'issued' ? extKeyUsageOf(issuedOf(d)).length : d.status;
}

describe('the template a request names', () => {
  it('is read from the v1 extension as a BMPString or a UTF8String', async () => {
    expect(await templateOf({ template: 'SmartcardUser' })).toBe(3);
    expect(await templateOf({ template: 'SmartcardLogon', templateAs: 'utf8' })).toBe(2);
  });

  it('is read from the CertificateTemplate name-value pair, and from certsrv CertAttrib', async () => {
    expect(await templateOf({ nameValueTemplate: 'SmartcardLogon' })).toBe(2);
    expect(await templateOf({}, 'SmartcardUser')).toBe(3);
  });

  it('may be named several times if every name agrees (case-insensitively)', async () => {
    const options = { template: 'SmartcardUser', nameValueTemplate: 'smartcarduser' };
    expect(await templateOf(options, 'SMARTCARDUSER')).toBe(3);
  });

  it('is read from the v2 extension when a template of the CA has that OID', async () => {
    const oid = '1.3.6.1.4.1.311.21.8.1.2.3.4.5.6.7.1';
    const custom: IssuableTemplate = { ...SmartcardLogonTemplate, name: 'ContosoLogon', oid };
    const ca = testCa({ templates: [SmartcardUserTemplate, custom] });
    expect(await templateOf({ templateOid: oid }, undefined, ca)).toBe(2);
    expect(await codeOf(templateOf({ templateOid: `${oid}.9` }, undefined, ca))).toBe(
      'ERR_REQUEST_INVALID',
    );
    // Built-in templates have no OID: a v2 request for them is refused.
    expect(await codeOf(templateOf({ templateOid: oid }))).toBe('ERR_REQUEST_INVALID');
  });

  it('is refused when missing, unknown, disagreeing, or of another string type', async () => {
    const refused = [
      () => templateOf({}),
      () => templateOf({ template: 'WebServer' }),
      () => templateOf({ template: 'SmartcardUser' }, 'SmartcardLogon'),
      () => templateOf({ template: 'SmartcardUser', nameValueTemplate: 'SmartcardLogon' }),
      () => templateOf({ template: 'SmartcardUser', templateAs: 'ia5' }),
      () => templateOf({ template: 'SmartcardUser' }, undefined, testCa({ templates: [BOB_ONLY] })),
    ];
    for (const outcome of refused) expect(await codeOf(outcome())).toBe('ERR_REQUEST_INVALID');
  });
});

const BOB_ONLY: IssuableTemplate = { ...SmartcardLogonTemplate, name: 'BobOnly' };

describe('the key and the signature of a request', () => {
  it('accepts RSA-2048 with SHA-1, SHA-256, SHA-384 and SHA-512, and P-256', async () => {
    const ca = await testCa();
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const) {
      const request = await pkcs10(await rsaKey(1, hash), { template: 'SmartcardUser' });
      expect((await ca.issue(request, alice)).status, hash).toBe('issued');
      const ec = await pkcs10(await ecKey(hash), { template: 'SmartcardUser' });
      expect((await ca.issue(ec, alice)).status, `EC ${hash}`).toBe('issued');
    }
  });

  it('refuses RSA keys below the template minimum (CERTSRV_E_KEY_LENGTH)', async () => {
    const ca = await testCa({ templates: [{ ...SmartcardUserTemplate, minimumRsaKeySize: 3072 }] });
    const rsa2048 = await pkcs10(await rsaKey(2), { template: 'SmartcardUser' });
    expect(await codeOf(ca.issue(rsa2048, alice))).toBe('ERR_REQUEST_INVALID');
    const rsa1024 = await pkcs10(await rsaKeyOfSize(1024), { template: 'SmartcardUser' });
    expect(await codeOf((await testCa()).issue(rsa1024, alice))).toBe('ERR_REQUEST_INVALID');
  });

  it('refuses curves other than P-256', async () => {
    const subtle = globalThis.crypto.subtle;
    const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign']);
    const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
    const request = await pkcs10(
      { privateKey: pair.privateKey, spki, hash: 'SHA-384' },
      { template: 'SmartcardUser' },
    );
    expect(await codeOf((await testCa()).issue(request, alice))).toBe('ERR_REQUEST_INVALID');
  });

  it('refuses a key spec the template does not take', async () => {
    const ca = await testCa();
    const signatureKey = { template: 'SmartcardUser', keySpec: 2 };
    expect(await codeOf(ca.issue(await pkcs10(await ecKey(), signatureKey), alice))).toBe(
      'ERR_REQUEST_INVALID',
    );
    const exchange = await pkcs10(await ecKey(), { template: 'SmartcardUser', keySpec: 1 });
    expect((await ca.issue(exchange, alice)).status).toBe('issued');
    const logon = await pkcs10(await ecKey(), { template: 'SmartcardLogon', keySpec: 2 });
    expect((await ca.issue(logon, { requester: BOB.account })).status).toBe('issued');
    const unknown = await pkcs10(await ecKey(), { template: 'SmartcardLogon', keySpec: 7 });
    expect(await codeOf(ca.issue(unknown, alice))).toBe('ERR_REQUEST_INVALID');
  });

  it('refuses a request signed by another key (no proof of possession)', async () => {
    const ca = await testCa();
    const request = await pkcs10(await ecKey(), {
      template: 'SmartcardUser',
      signer: await ecKey(),
    });
    expect(await codeOf(ca.issue(request, alice))).toBe('ERR_REQUEST_INVALID');
    const rsa = await pkcs10(await rsaKey(3), {
      template: 'SmartcardUser',
      signer: await rsaKey(4),
    });
    expect(await codeOf(ca.issue(rsa, alice))).toBe('ERR_REQUEST_INVALID');
  });

  it('refuses a damaged signature, and an algorithm that does not fit the key', async () => {
    const ca = await testCa();
    const der = await pkcs10(await rsaKey(5), { template: 'SmartcardUser' });
    const damaged = der.slice();
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 1;
    expect(await codeOf(ca.issue(damaged, alice))).toBe('ERR_REQUEST_INVALID');
    const csr = new pkijs.CertificationRequest({ schema: asn1js.fromBER(der.slice()).result });
    csr.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' });
    const mismatched = new Uint8Array(csr.toSchema().toBER());
    expect(await codeOf(ca.issue(mismatched, alice))).toBe('ERR_REQUEST_INVALID');
    csr.signatureAlgorithm = new pkijs.AlgorithmIdentifier({
      algorithmId: '1.2.840.113549.1.1.10',
    });
    const pss = new Uint8Array(csr.toSchema().toBER());
    expect(await codeOf(ca.issue(pss, alice))).toBe('ERR_REQUEST_INVALID');
  });
});
