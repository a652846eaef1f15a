import { createPublicKey, createVerify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import type { SmartCard } from '../../../src/card/index.js';
import {
  EnrollmentBuilder,
  SmartcardLogonTemplate,
  SmartcardUserTemplate,
} from '../../../src/enrollment/index.js';
import { verifiedCard } from '../../support/cards.js';
import { certificateFor } from '../../support/certificate.js';
import { codeOf } from '../../support/errors.js';

function parsePkcs10(der: Uint8Array): pkijs.CertificationRequest {
  return pkijs.CertificationRequest.fromBER(new Uint8Array(der));
}

/** The values of the request attribute `type`. */
function attributeValues(csr: pkijs.CertificationRequest, type: string): asn1js.AsnType[] {
  return csr.attributes?.find((a) => a.type === type)?.values ?? [];
}

function requestedExtensions(csr: pkijs.CertificationRequest): pkijs.Extension[] {
  const [value] = attributeValues(csr, '1.2.840.113549.1.9.14');
  return value === undefined ? [] : new pkijs.Extensions({ schema: value }).extensions;
}

/** The PKCS#10 inside a CMC request, and the SignedData around it. */
function openCmc(der: Uint8Array) {
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  expect(info.contentType).toBe('1.2.840.113549.1.7.2');
  const signed = new pkijs.SignedData({ schema: info.content });
  expect(signed.encapContentInfo.eContentType).toBe('1.3.6.1.5.5.7.12.2');
  const content = signed.encapContentInfo.eContent?.getValue() as ArrayBuffer;
  const pkiData = asn1js.fromBER(content).result as asn1js.Sequence;
  const [controls, requests, cms, other] = pkiData.valueBlock.value as asn1js.Sequence[];
  const tagged = (requests as asn1js.Sequence).valueBlock.value;
  expect(tagged).toHaveLength(1);
  const tcr = tagged[0] as asn1js.Constructed;
  expect(tcr.idBlock.tagClass).toBe(3); // context-specific [0]
  const [bodyPartId, request] = tcr.valueBlock.value as [asn1js.Integer, asn1js.Sequence];
  return {
    signed,
    controls: (controls as asn1js.Sequence).valueBlock.value,
    bodyPartId: bodyPartId.valueBlock.valueDec,
    pkcs10: new pkijs.CertificationRequest({ schema: request }),
    empty: [cms, other].every((s) => (s as asn1js.Sequence).valueBlock.value.length === 0),
  };
}

describe('EnrollmentBuilder', () => {
  it('builds a PKCS#10 request with what AD CS reads, signed by the card key', async () => {
    const c = await verifiedCard();
    const request = await new EnrollmentBuilder()
      .template(SmartcardUserTemplate)
      .upn('alice@contoso.com')
      .email('alice@contoso.com')
      .subject('Alice Example')
      .build(c);
    expect(request).toMatchObject({ format: 'pkcs10', template: 'SmartcardUser' });
    expect(request.pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const [container] = await c.containers();
    expect(container).toMatchObject({
      name: request.container,
      algorithm: 'RSA-2048',
      keySpec: 'exchange',
    });

    const csr = parsePkcs10(request.der);
    expect(await csr.verify()).toBe(true);
    expect(new Uint8Array(csr.subjectPublicKeyInfo.toSchema().toBER())).toEqual(
      container?.publicKey,
    );
    expect(csr.signatureAlgorithm.algorithmId).toBe('1.2.840.113549.1.1.11'); // sha256WithRSA

    const extensions = requestedExtensions(csr);
    const template = extensions.find((e) => e.extnID === '1.3.6.1.4.1.311.20.2');
    const name = asn1js.fromBER(template?.extnValue.getValue() as ArrayBuffer).result;
    expect(name).toBeInstanceOf(asn1js.BmpString);
    expect((name as asn1js.BmpString).getValue()).toBe('SmartcardUser');
    const san = extensions.find((e) => e.extnID === '2.5.29.17');
    const names = (
      asn1js.fromBER(san?.extnValue.getValue() as ArrayBuffer).result as asn1js.Sequence
    ).valueBlock.value as asn1js.Constructed[];
    expect(names.map((n) => n.idBlock.tagNumber)).toEqual([0, 1]); // otherName, rfc822Name
    const [typeId, explicitValue] = (names[0] as asn1js.Constructed).valueBlock.value as [
      asn1js.ObjectIdentifier,
      asn1js.Constructed,
    ];
    expect(typeId.getValue()).toBe('1.3.6.1.4.1.311.20.2.3');
    const upn = explicitValue.valueBlock.value[0];
    expect(upn).toBeInstanceOf(asn1js.Utf8String);
    expect((upn as asn1js.Utf8String).getValue()).toBe('alice@contoso.com');
    const email = new TextDecoder().decode(
      (names[1] as unknown as asn1js.Primitive).valueBlock.valueHexView,
    );
    expect(email).toBe('alice@contoso.com');
    const keyUsage = extensions.find((e) => e.extnID === '2.5.29.15');
    expect(keyUsage?.critical).toBe(true);

    const [csp] = attributeValues(csr, '1.3.6.1.4.1.311.13.2.2') as [asn1js.Sequence];
    const [keySpec, provider] = csp.valueBlock.value as [asn1js.Integer, asn1js.BmpString];
    expect(keySpec.valueBlock.valueDec).toBe(1);
    expect(provider.getValue()).toBe('Microsoft Base Smart Card Crypto Provider');
    const [pair] = attributeValues(csr, '1.3.6.1.4.1.311.13.2.1') as [asn1js.Sequence];
    expect(pair.valueBlock.value.map((v) => (v as asn1js.BmpString).getValue())).toEqual([
      'CertificateTemplate',
      'SmartcardUser',
    ]);
  });

  it('smartcardUser(): the enrollment-station form with SHA-256, CMC, Exchange, 2048', async () => {
    const c = await verifiedCard();
    const request = await EnrollmentBuilder.smartcardUser()
      .upn('alice@contoso.com')
      .email('alice@contoso.com')
      .build(c);
    expect(request).toMatchObject({
      format: 'cmc',
      template: 'SmartcardUser',
      friendlyName: 'Smartcard Certificate',
    });
    const { signed, pkcs10 } = openCmc(request.der);
    expect(pkcs10.signatureAlgorithm.algorithmId).toBe('1.2.840.113549.1.1.11'); // sha256WithRSA
    expect(signed.signerInfos[0]?.digestAlgorithm.algorithmId).toBe('2.16.840.1.101.3.4.2.1');
    expect(await pkcs10.verify()).toBe(true);
  });

  it('smartcardUserLegacySha1(): the same form with sha1, as the Lync procedure fills it', async () => {
    const c = await verifiedCard();
    const request = await EnrollmentBuilder.smartcardUserLegacySha1()
      .upn('alice@contoso.com')
      .email('alice@contoso.com')
      .build(c);
    expect(request).toMatchObject({
      format: 'cmc',
      template: 'SmartcardUser',
      friendlyName: 'Smartcard Certificate',
    });
    expect(request.pem).toMatch(/^-----BEGIN CMS-----\n/);
    const { signed, controls, bodyPartId, pkcs10, empty } = openCmc(request.der);
    expect({ controls: controls.length, bodyPartId, empty }).toEqual({
      controls: 0,
      bodyPartId: 1,
      empty: true,
    });
    expect(pkcs10.signatureAlgorithm.algorithmId).toBe('1.2.840.113549.1.1.5'); // sha1WithRSA
    expect(await pkcs10.verify()).toBe(true);
    const [signer] = signed.signerInfos;
    expect(signer?.version).toBe(3);
    expect(signer?.digestAlgorithm.algorithmId).toBe('1.3.14.3.2.26');
    // The signer is named by subjectKeyIdentifier: SHA-1 of the request key's bits.
    const keyBits = pkcs10.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
    const ski = new Uint8Array(await crypto.subtle.digest('SHA-1', new Uint8Array(keyBits)));
    const sid = signer?.sid as asn1js.Primitive;
    expect(new Uint8Array(sid.valueBlock.valueHexView)).toEqual(ski);
    // And its signature over the signed attributes verifies with the card's public key.
    const attrs = new Uint8Array(signer?.signedAttrs?.toSchema().toBER() as ArrayBuffer);
    attrs[0] = 0x31; // signed as SET OF, carried as [0] IMPLICIT
    const [container] = await c.containers();
    const key = createPublicKey({
      key: Buffer.from(container?.publicKey as Uint8Array),
      format: 'der',
      type: 'spki',
    });
    const verify = createVerify('sha1');
    verify.update(attrs);
    expect(
      verify.verify(key, Buffer.from(signer?.signature.valueBlock.valueHexView as Uint8Array)),
    ).toBe(true);
  });

  it('signs ECDSA requests with DER signatures', async () => {
    const c = await verifiedCard();
    const request = await new EnrollmentBuilder()
      .template(SmartcardLogonTemplate)
      .algorithm('ECDSA-P256')
      .keySpec('signature')
      .upn('bob@contoso.com')
      .build(c);
    const csr = parsePkcs10(request.der);
    expect(csr.signatureAlgorithm.algorithmId).toBe('1.2.840.10045.4.3.2');
    expect(await csr.verify()).toBe(true);
  });

  it('uses an existing key set, and generates nothing', async () => {
    const c = await verifiedCard();
    const key = await c.generateKeyPair({ container: 'mine' });
    const request = await new EnrollmentBuilder()
      .template('SmartcardUser')
      .existingKeySet('mine')
      .build(c);
    expect(request.container).toBe('mine');
    expect((await c.containers()).map((x) => x.name)).toEqual(['mine']);
    expect(
      new Uint8Array(parsePkcs10(request.der).subjectPublicKeyInfo.toSchema().toBER()),
    ).toEqual(key.publicKey);
    expect(
      await codeOf(
        new EnrollmentBuilder().template('SmartcardUser').existingKeySet('nope').build(c),
      ),
    ).toBe('ERR_KEY_NOT_FOUND');
  });

  it('deletes the new key again when building fails after generating it', async () => {
    const c = await verifiedCard();
    const failing: SmartCard = {
      id: c.id,
      kind: c.kind,
      info: () => c.info(),
      pinStatus: () => c.pinStatus(),
      verifyPin: (pin) => c.verifyPin(pin),
      changePin: (a, b) => c.changePin(a, b),
      unblockPin: (a, b, o) => c.unblockPin(a, b, o),
      logout: () => c.logout(),
      generateKeyPair: (o) => c.generateKeyPair(o),
      containers: () => c.containers(),
      sign: () => Promise.reject(new Error('card error')),
      decrypt: (a, b, o) => c.decrypt(a, b, o),
      installCertificate: (a, b, o) => c.installCertificate(a, b, o),
      certificate: (a) => c.certificate(a),
      deleteContainer: (a) => c.deleteContainer(a),
      reset: () => c.reset(),
    };
    await expect(new EnrollmentBuilder().template('SmartcardUser').build(failing)).rejects.toThrow(
      'card error',
    );
    expect(await c.containers()).toEqual([]);
  });

  it('needs a verified PIN on the card, like any key generation', async () => {
    const c = await verifiedCard();
    await c.logout();
    expect(await codeOf(new EnrollmentBuilder().template('SmartcardUser').build(c))).toBe(
      'ERR_PIN_REQUIRED',
    );
  });

  it('builds a CMC request on behalf of a user, signed by the agent', async () => {
    const user = await verifiedCard();
    const agentCard = await verifiedCard();
    const agentKey = await agentCard.generateKeyPair({ container: 'agent' });
    const agentCertificate = await certificateFor(agentKey.publicKey, 'Enrollment Agent');
    const request = await new EnrollmentBuilder()
      .template('SmartcardUser')
      .onBehalfOf('CONTOSO\\alice', {
        card: agentCard,
        container: 'agent',
        certificate: agentCertificate,
      })
      .build(user);
    expect(request.format).toBe('cmc');
    const { signed, controls, pkcs10 } = openCmc(request.der);
    expect(await pkcs10.verify()).toBe(true); // proof of possession of the user's key
    expect(signed.certificates).toHaveLength(1);
    expect(signed.signerInfos[0]?.version).toBe(1);
    const [regInfo] = controls as [asn1js.Sequence];
    const [, type, values] = regInfo.valueBlock.value as [
      asn1js.Integer,
      asn1js.ObjectIdentifier,
      asn1js.Set,
    ];
    expect(type.getValue()).toBe('1.3.6.1.5.5.7.7.18');
    const text = new TextDecoder().decode(
      (values.valueBlock.value[0] as asn1js.OctetString).getValue(),
    );
    expect(text).toBe('requestername=CONTOSO%5Calice');
    const verified = await signed.verify({
      signer: 0,
      data: signed.encapContentInfo.eContent?.getValue() as ArrayBuffer,
    });
    expect(verified).toBe(true);
  });

  it.each<[string, (b: EnrollmentBuilder) => unknown]>([
    ['a setter called twice', (b) => b.hash('SHA-256').hash('SHA-1')],
    ['an unknown template', (b) => b.template('Administrator')],
    ['an unknown hash', (b) => b.hash('MD5' as never)],
    ['a key size of 1024', (b) => b.keySize(1024 as never)],
    ['a bad UPN', (b) => b.upn('alice')],
    ['a bad e-mail', (b) => b.email('not an address')],
    ['a requester without a domain', (b) => b.onBehalfOf('alice', {} as never)],
    ['an unknown format', (b) => b.format('pem' as never)],
  ])('refuses %s with ERR_INVALID_INPUT', (_, misuse) => {
    expect(() => misuse(new EnrollmentBuilder())).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });

  it('refuses what would make the request lie: EC exchange keys, key spec or agent key mismatches', async () => {
    const c = await verifiedCard();
    expect(
      await codeOf(
        new EnrollmentBuilder().template('SmartcardLogon').algorithm('ECDSA-P256').build(c),
      ),
    ).toBe('ERR_INVALID_INPUT');
    await c.generateKeyPair({ container: 'sign-only', keySpec: 'signature' });
    expect(
      await codeOf(
        new EnrollmentBuilder().template('SmartcardLogon').existingKeySet('sign-only').build(c),
      ),
    ).toBe('ERR_INVALID_INPUT');
    const agentCard = await verifiedCard();
    await agentCard.generateKeyPair({ container: 'agent' });
    const other = await agentCard.generateKeyPair({ container: 'other' });
    const wrongCertificate = await certificateFor(other.publicKey, 'Enrollment Agent');
    const request = new EnrollmentBuilder().template('SmartcardUser').onBehalfOf('CONTOSO\\alice', {
      card: agentCard,
      container: 'agent',
      certificate: wrongCertificate,
    });
    expect(await codeOf(request.build(c))).toBe('ERR_CERTIFICATE_MISMATCH');
    expect(() => new EnrollmentBuilder().provider('Provider \u{1F511}')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
    expect((await c.containers()).map((k) => k.name)).toEqual(['sign-only']);
  });

  it('refuses to build without a template, or with a key spec the template does not allow', async () => {
    const c = await verifiedCard();
    expect(await codeOf(new EnrollmentBuilder().build(c))).toBe('ERR_INVALID_INPUT');
    expect(
      await codeOf(new EnrollmentBuilder().template('SmartcardUser').keySpec('signature').build(c)),
    ).toBe('ERR_INVALID_INPUT');
    expect(await c.containers()).toEqual([]);
  });
});
