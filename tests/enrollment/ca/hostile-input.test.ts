import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { describeCertificate } from '../../../src/enrollment/station/certificate-info.js';
import { BUILT_IN_TEMPLATES, EnrollmentAgentTemplate } from '../../../src/enrollment/templates.js';
import { CertificateInvalidError, RequestInvalidError } from '../../../src/errors.js';
import {
  bitString,
  explicit,
  integer,
  nullValue,
  oid,
  sequence,
  tlv,
} from '../../../src/lib/der-write.js';
import { codeOf } from '../../support/errors.js';
import { AGENT, ALICE, BOB, testCa } from '../support/ca.js';
import { cmc, pkiData, skiOf } from '../support/cmc.js';
import { ecKey, OIDS, pkcs10, rsaKey } from '../support/requests.js';

/** A self-signed CMC request whose messageDigest attribute is an empty SET. */
async function cmcWithEmptyDigest(): Promise<Uint8Array<ArrayBuffer>> {
  const key = await ecKey();
  const content = pkiData({ requests: [await pkcs10(key, { template: 'SmartcardUser' })] });
  const encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.pkiData });
  encapContentInfo.eContent = new asn1js.OctetString({ valueHex: content });
  const signed = new pkijs.SignedData({ version: 3, encapContentInfo, signerInfos: [] });
  const sid = new asn1js.Primitive({
    idBlock: { tagClass: 3, tagNumber: 0 },
    valueHex: await skiOf(key.spki),
  });
  const info = new pkijs.SignerInfo({ version: 3, sid });
  info.signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({
        type: OIDS.contentType,
        values: [new asn1js.ObjectIdentifier({ value: OIDS.pkiData })],
      }),
      new pkijs.Attribute({ type: OIDS.messageDigest, values: [] }),
    ],
  });
  signed.signerInfos.push(info);
  await signed.sign(key.privateKey, 0, 'SHA-256', content);
  const contentInfo = new pkijs.ContentInfo({
    contentType: OIDS.signedData,
    content: signed.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER());
}

describe('the CA refuses hostile requests with RequestInvalidError only', () => {
  it('a CMC whose signed messageDigest attribute is an empty SET', async () => {
    const ca = await testCa();
    const error = await ca.issue(await cmcWithEmptyDigest(), { requester: ALICE.account }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestInvalidError);
    expect((error as Error).message).toMatch(/messageDigest|1\.2\.840\.113549\.1\.9\.4/);
  });

  it('a request above maxRequestBytes (64 KiB by default), before reading it', async () => {
    const ca = await testCa();
    // A well-formed, well-signed request, only large: the CA would issue it if it read it.
    const big = await pkcs10(await ecKey(), {
      template: 'SmartcardLogon',
      commonName: 'x'.repeat(70_000),
    });
    expect(big.length).toBeGreaterThan(65_536);
    const refusal = await ca.issue(big, { requester: ALICE.account }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RequestInvalidError);
    expect((refusal as Error).message).toMatch(/above the 65536/);
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(big).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(await codeOf(ca.issue(pem, { requester: ALICE.account }))).toBe('ERR_REQUEST_INVALID');
    // 16 MB of garbage text is refused by its length alone.
    const garbage = 'A'.repeat(16 * 1024 * 1024);
    expect(await codeOf(ca.issue(garbage, { requester: ALICE.account }))).toBe(
      'ERR_REQUEST_INVALID',
    );
    const roomy = await testCa({ maxRequestBytes: 128 * 1024 });
    expect((await roomy.issue(big, { requester: ALICE.account })).status).toBe('issued');
    for (const maxRequestBytes of [0, 1023, 1.5, 2 ** 24 + 1, '65536' as never]) {
      expect(await codeOf(testCa({ maxRequestBytes }))).toBe('ERR_INVALID_INPUT');
    }
  });

  it('an RSA key above 4096 bits or with an exponent above 2^32-1, before checking a signature', async () => {
    const ca = await testCa();
    const signer = await rsaKey(1);
    const rsaSpki = (modulusBytes: number, exponent: Uint8Array) =>
      sequence(
        sequence(oid('1.2.840.113549.1.1.1'), nullValue()),
        bitString(
          sequence(
            integer(new Uint8Array(modulusBytes).fill(0x35).fill(0xc1, 0, 1)),
            integer(exponent),
          ),
        ),
      );
    const cases: [Uint8Array<ArrayBuffer>, RegExp][] = [
      [rsaSpki(256, new Uint8Array([1, 0, 0, 0, 1])), /exponent is above/],
      [rsaSpki(1025, new Uint8Array([1, 0, 1])), /8200 bits is above 4096/],
    ];
    for (const [spki, message] of cases) {
      const request = await pkcs10({ ...signer, spki }, { template: 'SmartcardLogon' });
      const error = await ca.issue(request, { requester: ALICE.account }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestInvalidError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('describeCertificate refuses hostile certificates with CertificateInvalidError', () => {
  it('a SAN holding a malformed GeneralizedTime', async () => {
    const ca = await testCa();
    const issued = await ca.issue(await pkcs10(await ecKey(), { template: 'SmartcardLogon' }), {
      requester: ALICE.account,
    });
    if (issued.status !== 'issued') throw new Error(issued.reason);
    const cert = pkijs.Certificate.fromBER(issued.certificate);
    const badTime = new Uint8Array([0x18, 0x05, 0x32, 0x30, 0x32, 0x36, 0x5a]); // "2026Z"
    // otherName [0] { type-id, [0] EXPLICIT GeneralizedTime "2026Z" }
    const san = sequence(tlv(0xa0, oid('1.2.3.4'), explicit(0, badTime)));
    cert.extensions = (cert.extensions ?? []).filter((e) => e.extnID !== '2.5.29.17');
    cert.extensions.push(
      new pkijs.Extension({ extnID: '2.5.29.17', critical: false, extnValue: san.slice().buffer }),
    );
    const der = new Uint8Array(cert.toSchema(true).toBER());
    expect(() => describeCertificate(der)).toThrow(CertificateInvalidError);
  });
});

describe('enrollment agent templates are known by their EKU, not their name', () => {
  // A copy without the built-in's (empty) enrollees, that says it may be asked on behalf.
  const { enrollees: _, ...agentTemplate } = EnrollmentAgentTemplate;
  const renamed = { ...agentTemplate, name: 'HelpDeskAgent', onBehalfOf: true };
  const templates = [...Object.values(BUILT_IN_TEMPLATES), renamed];

  it('only enrollmentAgents may enroll for a renamed copy of the agent template', async () => {
    const ca = await testCa({ templates });
    const request = async () => pkcs10(await ecKey(), { template: 'HelpDeskAgent' });
    expect((await ca.issue(await request(), { requester: BOB.account })).status).toBe('denied');
    expect((await ca.issue(await request(), { requester: AGENT.account })).status).toBe('issued');
    const closed = await testCa({ templates, enrollmentAgents: undefined as never });
    const none = await closed.issue(await request(), { requester: AGENT.account });
    expect(none.status).toBe('denied');
  });

  it("an agent cannot obtain one on another user's behalf, even if the copy allows it", async () => {
    const ca = await testCa({ templates, enrollmentAgents: [AGENT.account, ALICE.account] });
    const key = await ecKey();
    const agent = await ca.issue(await pkcs10(key, { template: 'EnrollmentAgent' }), {
      requester: AGENT.account,
    });
    if (agent.status !== 'issued') throw new Error(agent.reason);
    const request = await cmc({
      requests: [await pkcs10(await ecKey(), { template: 'HelpDeskAgent' })],
      signer: { key, certificate: agent.certificate },
      regInfo: ['requestername=CONTOSO%5Calice'],
    });
    expect((await ca.issue(request)).status).toBe('denied');
  });
});
