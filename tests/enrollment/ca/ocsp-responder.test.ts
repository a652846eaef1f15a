/**
 * `CertificateAuthority.ocspResponder()` (RFC 6960): good, revoked (a hold too) and unknown
 * answers, the CertID's hash algorithms, the nonce echoed, the CA's key or a delegated responder
 * signing, and malformed requests answered, never thrown.
 */
import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/bytes.js';
import { children, readSingle, type Tlv } from '../../../src/lib/der.js';
import { codeOf, codeOfSync } from '../../support/errors.js';
import { issueToAlice, START, testCa, testClock } from '../support/ca.js';
import { certId, keyHash, ocspRequest, readResponse, signatureVerifies } from './ocsp-support.js';

const MALFORMED = [0x30, 0x03, 0x0a, 0x01, 0x01];
const HOUR = 3_600_000;

describe('CertificateAuthority.ocspResponder()', () => {
  it('answers good, revoked with time and reason, on hold, and unknown', async () => {
    const clock = testClock();
    const ca = await testCa({ issuing: true, clock });
    const [good, lost, held] = [
      await issueToAlice(ca),
      await issueToAlice(ca),
      await issueToAlice(ca),
    ];
    clock.advance(HOUR);
    await ca.revoke(lost.serialNumber, 'keyCompromise');
    await ca.revoke(held.serialNumber, 'certificateHold');
    const other = await testCa({ issuing: true });
    const stranger = await issueToAlice(other);
    const ids = [
      await certId(good.certificate, ca.issuer),
      await certId(lost.certificate, ca.issuer),
      await certId(held.certificate, ca.issuer),
      await certId(good.certificate, ca.issuer, { serial: '7f0102030405' }), // never issued
      await certId(good.certificate, ca.issuer, { serial: 'ff01' }), // negative: none of ours
      await certId(stranger.certificate, other.issuer), // another CA
      await certId(good.certificate, ca.root), // the root does not answer for the issuing CA's
    ];
    const response = readResponse(await ca.ocspResponder()(ocspRequest(ids)));
    expect(response.responseStatus).toBe(0);
    expect(response.statuses).toEqual([
      { status: 'good' },
      { status: 'revoked', revocationTime: START + HOUR, reason: 1 },
      { status: 'revoked', revocationTime: START + HOUR, reason: 6 },
      { status: 'unknown' },
      { status: 'unknown' },
      { status: 'unknown' },
      { status: 'unknown' },
    ]);
    const basic = response.basic;
    if (basic === undefined) throw new Error('no basic response');
    expect(signatureVerifies(basic, ca.issuer)).toBe(true);
    expect(response.certs).toEqual([]);
    // responderID byKey: the issuing CA's key identifier.
    const tbs = basic.tbsResponseData.tbsView;
    const [responderId] = children(tbs, readSingle(tbs));
    expect(responderId?.tag).toBe(0xa2); // byKey
    const [byKey] = children(tbs, responderId as Tlv);
    const hex = toHex(tbs.subarray(byKey?.valueStart, byKey?.end)).toUpperCase();
    expect(hex).toBe(toHex(await keyHash(ca.issuer, 'SHA-1')).toUpperCase());
    const single = basic.tbsResponseData.responses[0];
    expect(single?.thisUpdate.getTime()).toBe(START + HOUR);
    expect(single?.nextUpdate?.getTime()).toBe(START + HOUR + 7 * 24 * HOUR);
    expect(basic.tbsResponseData.producedAt.getTime()).toBe(START + HOUR);
  });

  it('matches CertIDs hashed with SHA-1, SHA-256, SHA-384 and SHA-512, and echoes the nonce', async () => {
    const ca = await testCa({});
    const issued = await issueToAlice(ca);
    const respond = ca.ocspResponder({ validityHours: 2 });
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const) {
      const nonce = crypto.getRandomValues(new Uint8Array(16));
      const id = await certId(issued.certificate, ca.issuer, { hash });
      const response = readResponse(await respond(ocspRequest([id], nonce)));
      expect(response.statuses, hash).toEqual([{ status: 'good' }]);
      expect(response.nonce).toEqual(nonce);
      const single = response.basic?.tbsResponseData.responses[0];
      expect((single?.nextUpdate?.getTime() ?? 0) - (single?.thisUpdate.getTime() ?? 0)).toBe(
        2 * HOUR,
      );
    }
    const plain = readResponse(
      await respond(ocspRequest([await certId(issued.certificate, ca.issuer)])),
    );
    expect(plain.nonce).toBeUndefined();
  });

  it('signs with a delegated responder certificate the CA issues to itself', async () => {
    const ca = await testCa({ issuing: true });
    const issued = await issueToAlice(ca);
    const respond = ca.ocspResponder({ responder: 'delegated' });
    const first = readResponse(
      await respond(ocspRequest([await certId(issued.certificate, ca.issuer)])),
    );
    expect(first.statuses).toEqual([{ status: 'good' }]);
    const [delegate, issuer] = first.certs;
    if (delegate === undefined || first.basic === undefined) throw new Error('no certificate');
    expect(issuer).toEqual(ca.issuer);
    expect(signatureVerifies(first.basic, delegate)).toBe(true);
    expect(signatureVerifies(first.basic, ca.issuer)).toBe(false);
    const cert = new X509Certificate(delegate);
    expect(cert.verify(new X509Certificate(ca.issuer).publicKey)).toBe(true);
    expect(cert.checkIssued(new X509Certificate(ca.issuer))).toBe(true);
    expect(cert.toLegacyObject().ext_key_usage).toEqual(['1.3.6.1.5.5.7.3.9']);
    const extensions = pkijs.Certificate.fromBER(delegate.slice()).extensions ?? [];
    expect(extensions.map((extension) => extension.extnID)).toContain('1.3.6.1.5.5.7.48.1.5');
    expect(cert.ca).toBe(false);
    // Kept for the next answer while it is far from expiring.
    const second = readResponse(
      await respond(ocspRequest([await certId(issued.certificate, ca.issuer)])),
    );
    expect(second.certs[0]).toEqual(delegate);
  });

  it('answers malformed requests with malformedRequest, never a throw', async () => {
    const ca = await testCa({});
    const issued = await issueToAlice(ca);
    const respond = ca.ocspResponder();
    const id = await certId(issued.certificate, ca.issuer);
    const good = ocspRequest([id]);
    const hostile: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array([0x30, 0x00]),
      new Uint8Array([...good, 0x00]), // trailing bytes
      good.subarray(0, good.length - 1), // truncated
      ocspRequest([]), // asks about nothing
      ocspRequest(Array.from({ length: 65 }, () => id)), // too many
      ocspRequest([id], new Uint8Array(33)), // a nonce over 32 octets
      new Uint8Array(20_000),
    ];
    for (const request of hostile) expect([...(await respond(request))]).toEqual(MALFORMED);
    for (let round = 0; round < 200; round++) {
      const bytes = good.slice();
      const at = Math.floor(Math.random() * bytes.length);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(Math.random() * 8));
      const answer = readResponse(await respond(bytes));
      expect([0, 1]).toContain(answer.responseStatus);
    }
    expect([...(await respond('not bytes' as unknown as Uint8Array))]).toEqual(MALFORMED);
  });

  it('refuses bad options when it is made', async () => {
    const ca = await testCa({});
    for (const options of [{ responder: 'root' }, { validityHours: 0 }, { validityHours: '1' }]) {
      expect(codeOfSync(() => ca.ocspResponder(options as never))).toBe('ERR_INVALID_INPUT');
    }
  });

  it('puts the OCSP URL in issued certificates with ocspUrl', async () => {
    const ca = await testCa({ issuing: true, ocspUrl: 'http://ocsp.example.test/' });
    const cert = new X509Certificate((await issueToAlice(ca)).certificate);
    expect(cert.infoAccess).toContain('OCSP - URI:http://ocsp.example.test/');
    const plain = new X509Certificate((await issueToAlice(await testCa({}))).certificate);
    expect(plain.infoAccess).toBeUndefined();
    expect(await codeOf(testCa({ ocspUrl: 'ftp://x' }))).toBe('ERR_INVALID_INPUT');
  });

  it('puts where the issuer certificate is with caIssuersUrl, per key after a rollover', async () => {
    const ca = await testCa({
      issuing: true,
      ocspUrl: 'http://ocsp.example.test/',
      caIssuersUrl: 'http://pki.example.test/aia/issuing.crt',
    });
    const first = new X509Certificate((await issueToAlice(ca)).certificate);
    expect(first.infoAccess).toBe(
      'OCSP - URI:http://ocsp.example.test/\nCA Issuers - URI:http://pki.example.test/aia/issuing.crt',
    );
    await ca.rollOverKey();
    const second = new X509Certificate((await issueToAlice(ca)).certificate);
    expect(second.infoAccess).toContain(
      'CA Issuers - URI:http://pki.example.test/aia/issuing(1).crt',
    );
    const alone = await testCa({ caIssuersUrl: 'http://pki.example.test/aia/root.crt' });
    const third = new X509Certificate((await issueToAlice(alone)).certificate);
    expect(third.infoAccess).toBe('CA Issuers - URI:http://pki.example.test/aia/root.crt');
  });
});
