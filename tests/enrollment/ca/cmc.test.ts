import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../src/enrollment/ca/index.js';
import type { DirectoryEntry, Disposition } from '../../../src/enrollment/request/types.js';
import { codeOf } from '../../support/errors.js';
import { AGENT, ALICE, BOB, DIRECTORY, issuedOf, testCa, testClock } from '../support/ca.js';
import { cmc, pkiData, skiOf } from '../support/cmc.js';
import { ecKey, pkcs10, rsaKey, type TestKey } from '../support/requests.js';

const FOR_ALICE = 'requestername=CONTOSO%5Calice';

function der(d: Disposition): Uint8Array<ArrayBuffer> {
  if (d.status !== 'issued') throw new Error(`expected issued, got ${d.status}: ${d.reason}`);
  return d.certificate;
}

/** A CMC signed by its own key, as the enrollment station's form sends it. */
async function selfSigned(key: TestKey, extra: { regInfo?: string[] } = {}) {
  const request = await pkcs10(key, { template: 'SmartcardUser' });
  return cmc({ requests: [request], signer: { key, ski: await skiOf(key.spki) }, ...extra });
}

describe('a self-signed CMC request', () => {
  it('is issued for RSA and EC keys; never without signed attributes (RFC 5652 §5.3)', async () => {
    const ca = await testCa({ issuing: true });
    const rsa = await rsaKey(6, 'SHA-1'); // the legacy form's "Hash Algorithm: sha1"
    const unsigned = await cmc({
      requests: [await pkcs10(rsa, { template: 'SmartcardUser' })],
      signer: { key: rsa, ski: await skiOf(rsa.spki) },
      noSignedAttributes: true,
    });
    expect(await codeOf(ca.issue(unsigned, { requester: ALICE.account }))).toBe(
      'ERR_REQUEST_INVALID',
    );
    for (const request of [await selfSigned(await ecKey()), await selfSigned(rsa)]) {
      const cert = issuedOf(await ca.issue(request, { requester: ALICE.account }));
      expect(cert.subject).toContain('CN=Alice Example');
      expect(cert.verify(new X509Certificate(ca.issuer).publicKey)).toBe(true);
    }
    const pem = `-----BEGIN CMS-----\n${Buffer.from(await selfSigned(await ecKey())).toString('base64')}\n-----END CMS-----\n`;
    expect((await ca.issue(pem, { requester: ALICE.account })).status).toBe('issued');
  });

  it('accepts the constructed eContent OCTET STRING that pkijs writes', async () => {
    const key = await ecKey();
    const request = await pkcs10(key, { template: 'SmartcardUser' });
    const signer = { key, ski: await skiOf(key.spki) };
    const signed = await cmc({ requests: [request], signer, constructedContent: true });
    const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(signed.slice()).result });
    const signedData = new pkijs.SignedData({ schema: info.content });
    expect(signedData.encapContentInfo.eContent?.idBlock.isConstructed).toBe(true);
    expect((await (await testCa()).issue(signed, { requester: ALICE.account })).status).toBe(
      'issued',
    );
  });

  it('accepts a signer identified by the key identifier the request itself asks for', async () => {
    const key = await ecKey();
    const ski = crypto.getRandomValues(new Uint8Array(20));
    const request = await pkcs10(key, { template: 'SmartcardUser', ski });
    const signed = await cmc({ requests: [request], signer: { key, ski } });
    expect((await (await testCa()).issue(signed, { requester: ALICE.account })).status).toBe(
      'issued',
    );
  });

  it('is refused unsigned, with another key identifier, or signed by another key', async () => {
    const ca = await testCa();
    const key = await ecKey();
    const request = await pkcs10(key, { template: 'SmartcardUser' });
    const other = await ecKey();
    const refused = [
      () => cmc({ requests: [request] }), // AD CS: CRYPT_E_NO_SIGNER
      () => cmc({ requests: [request], signer: { key, ski: new Uint8Array(20) } }),
      async () => cmc({ requests: [request], signer: { key: other, ski: await skiOf(key.spki) } }),
    ];
    for (const make of refused) {
      expect(await codeOf(ca.issue(await make(), { requester: ALICE.account }))).toBe(
        'ERR_REQUEST_INVALID',
      );
    }
  });

  it('is refused with zero or two requests, or a badly signed inner request', async () => {
    const ca = await testCa();
    const key = await ecKey();
    const signer = { key, ski: await skiOf(key.spki) };
    const request = await pkcs10(key, { template: 'SmartcardUser' });
    const unpossessed = await pkcs10(key, { template: 'SmartcardUser', signer: await ecKey() });
    for (const requests of [[], [request, request], [unpossessed]]) {
      const signed = await cmc({ requests, signer });
      expect(await codeOf(ca.issue(signed, { requester: ALICE.account }))).toBe(
        'ERR_REQUEST_INVALID',
      );
    }
  });

  it('is refused when its content was changed after signing', async () => {
    const ca = await testCa();
    const key = await ecKey();
    const request = await pkcs10(key, { template: 'SmartcardUser' });
    const signer = { key, ski: await skiOf(key.spki) };
    const injected = pkiData({ requests: [request], regInfo: [FOR_ALICE] });
    for (const noSignedAttributes of [false, true]) {
      const tampered = await cmc({
        requests: [request],
        signer,
        noSignedAttributes,
        replaceContent: injected,
      });
      expect(await codeOf(ca.issue(tampered, { requester: BOB.account }))).toBe(
        'ERR_REQUEST_INVALID',
      );
    }
  });

  it('may name its own requester in regInfo, but nobody else', async () => {
    const ca = await testCa();
    const own = await selfSigned(await ecKey(), { regInfo: [FOR_ALICE] });
    expect((await ca.issue(own, { requester: 'CONTOSO\\Alice' })).status).toBe('issued');
    const other = await selfSigned(await ecKey(), { regInfo: [FOR_ALICE] });
    expect(await codeOf(ca.issue(other, { requester: BOB.account }))).toBe('ERR_REQUEST_INVALID');
  });

  it('may name the template in regInfo, which must agree with the request', async () => {
    const ca = await testCa();
    const key = await ecKey();
    const request = await pkcs10(key, {});
    const signer = { key, ski: await skiOf(key.spki) };
    const named = await cmc({
      requests: [request],
      signer,
      regInfo: ['CertificateTemplate=SmartcardLogon&x=%26y'],
    });
    expect((await ca.issue(named, { requester: BOB.account })).status).toBe('issued');
    const clash = await cmc({
      requests: [await pkcs10(key, { template: 'SmartcardUser' })],
      signer,
      regInfo: ['certificatetemplate=SmartcardLogon'],
    });
    expect(await codeOf(ca.issue(clash, { requester: BOB.account }))).toBe('ERR_REQUEST_INVALID');
  });
});

/** A CA that has issued an Enrollment Agent certificate to CONTOSO\agent. */
async function withAgent(options: Parameters<typeof testCa>[0] = {}) {
  const ca = await testCa({ issuing: true, ...options });
  const key = await ecKey();
  const agentRequest = await pkcs10(key, { template: 'EnrollmentAgent' });
  const disposition = await ca.issue(agentRequest, { requester: AGENT.account });
  const agent = { key, certificate: der(disposition) };
  const onBehalf = async (
    regInfo: string[] = [FOR_ALICE],
    signer: {
      key: TestKey;
      certificate: Uint8Array<ArrayBuffer>;
      sid?: 'ski' | 'issuerRewritten';
    } = agent,
  ) => {
    const user = await pkcs10(await ecKey(), { template: 'SmartcardUser' });
    return cmc({ requests: [user], signer, regInfo });
  };
  return { ca, agent, disposition, onBehalf };
}

describe('a CMC request signed by an enrollment agent', () => {
  it('is issued to the user named in regInfo, with that user as the subject', async () => {
    const { ca, onBehalf, agent } = await withAgent();
    for (const request of [
      await onBehalf(),
      await onBehalf([FOR_ALICE], { ...agent, sid: 'ski' }),
    ]) {
      const cert = issuedOf(await ca.issue(request, { requester: AGENT.account }));
      expect(cert.subject).toContain('CN=Alice Example');
      expect(cert.subjectAltName).toContain('alice@contoso.test');
    }
    // A signer whose issuer name is written another way (upper case, UTF8String) is the same
    // CA's certificate, as RFC 5280 §7.1 compares names.
    const rewritten = await onBehalf([FOR_ALICE], { ...agent, sid: 'issuerRewritten' });
    expect((await ca.issue(rewritten, { requester: AGENT.account })).status).toBe('issued');
    // The requester may be left out: the agent's signature says who submits.
    expect((await ca.issue(await onBehalf())).status).toBe('issued');
  });

  it('is denied when someone other than the agent submits it', async () => {
    const { ca, onBehalf } = await withAgent();
    const d = await ca.issue(await onBehalf(), { requester: BOB.account });
    expect(d).toMatchObject({ status: 'denied' });
  });

  it('is denied when the named user may not have the certificate, or the agent is disabled', async () => {
    const entries = new Map<string, DirectoryEntry>(DIRECTORY.map((e) => [e.account, e]));
    const directory: Directory = { lookup: (account) => entries.get(account) };
    const { ca, onBehalf } = await withAgent({ directory });
    const forBob = await onBehalf(['requestername=CONTOSO%5Cbob']); // Bob has no e-mail
    expect((await ca.issue(forBob)).status).toBe('denied');
    entries.set(AGENT.account, { ...AGENT, enabled: false });
    expect((await ca.issue(await onBehalf())).status).toBe('denied');
  });

  it('is refused without a requestername', async () => {
    const { ca, onBehalf } = await withAgent();
    expect(await codeOf(ca.issue(await onBehalf([])))).toBe('ERR_REQUEST_INVALID');
    expect(await codeOf(ca.issue(await onBehalf(['requestername=%ZZ'])))).toBe(
      'ERR_REQUEST_INVALID',
    );
  });

  it("is refused when the signer's certificate is not an agent's or not this CA's", async () => {
    const { ca, onBehalf } = await withAgent();
    const userKey = await ecKey();
    const user = await ca.issue(await pkcs10(userKey, { template: 'SmartcardUser' }), {
      requester: ALICE.account,
    });
    const notAgent = { key: userKey, certificate: der(user) };
    expect(await codeOf(ca.issue(await onBehalf([FOR_ALICE], notAgent)))).toBe(
      'ERR_REQUEST_INVALID',
    );
    const elsewhere = await withAgent();
    expect(await codeOf(ca.issue(await elsewhere.onBehalf()))).toBe('ERR_REQUEST_INVALID');
    expect(await codeOf(elsewhere.ca.issue(await onBehalf()))).toBe('ERR_REQUEST_INVALID');
  });

  it('is refused when the agent certificate has expired or was revoked', async () => {
    const clock = testClock();
    const { ca, onBehalf, disposition } = await withAgent({ clock });
    const request = await onBehalf();
    expect((await ca.issue(request)).status).toBe('issued');
    clock.advance(731 * 86_400_000);
    expect(await codeOf(ca.issue(request))).toBe('ERR_REQUEST_INVALID');
    const again = await withAgent();
    const serial = again.disposition.status === 'issued' ? again.disposition.serialNumber : '';
    await again.ca.revoke(serial, 'keyCompromise');
    expect(await codeOf(again.ca.issue(await again.onBehalf()))).toBe('ERR_REQUEST_INVALID');
    expect(disposition.status).toBe('issued');
  });

  it('is refused when signed by another key than the certificate carried', async () => {
    const { ca, agent, onBehalf } = await withAgent();
    const forged = await onBehalf([FOR_ALICE], { ...agent, key: await ecKey() });
    expect(await codeOf(ca.issue(forged))).toBe('ERR_REQUEST_INVALID');
  });
});
