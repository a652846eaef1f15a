import { verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../support/errors.js';
import { ALICE, START, testCa, testClock } from '../support/ca.js';
import { ecKey, pkcs10 } from '../support/requests.js';

const DAY = 86_400_000;

function parseCrl(der: Uint8Array): pkijs.CertificateRevocationList {
  return new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(der.slice()).result });
}

/** Checks the CRL's signature with node:crypto and the issuer certificate's key. */
function crlVerifies(der: Uint8Array, issuer: Uint8Array): boolean {
  const crl = parseCrl(der);
  const key = new X509Certificate(issuer).publicKey;
  const signature = crl.signatureValue.valueBlock.valueHexView;
  return verify('sha256', crl.tbsView, { key, dsaEncoding: 'der' }, signature);
}

function crlExtension(crl: pkijs.CertificateRevocationList, oid: string) {
  return crl.crlExtensions?.extensions.find((e) => e.extnID === oid);
}

async function caWithCertificates(count: number, options: Parameters<typeof testCa>[0] = {}) {
  const ca = await testCa({ issuing: true, ...options });
  const serials: string[] = [];
  for (let i = 0; i < count; i++) {
    const request = await pkcs10(await ecKey(), { template: 'SmartcardUser' });
    const d = await ca.issue(request, { requester: ALICE.account });
    if (d.status !== 'issued') throw new Error(d.reason);
    serials.push(d.serialNumber);
  }
  return { ca, serials };
}

describe('revoke', () => {
  it('refuses serials this CA never issued, bad hex, bad reasons and revoking twice', async () => {
    const { ca, serials } = await caWithCertificates(1);
    const [serial = ''] = serials;
    expect(await codeOf(ca.revoke('0102030405060708090a0b0c0d0e0f10'))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.revoke('not hex'))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.revoke(''))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.revoke(serial, 'lost' as 'superseded'))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(ca.revoke(serial, 'superseded'))).toBe('no error');
    expect(await codeOf(ca.revoke(serial, 'keyCompromise'))).toBe('ERR_INVALID_INPUT');
  });

  it('takes the serial in any case, with colons, and replaces a hold with a final reason', async () => {
    const { ca, serials } = await caWithCertificates(1);
    const [serial = ''] = serials;
    const colons = serial.toUpperCase().match(/../g)?.join(':') ?? '';
    await ca.revoke(colons, 'certificateHold');
    await ca.revoke(serial, 'keyCompromise');
    const [entry] = parseCrl(await ca.crl()).revokedCertificates ?? [];
    expect(entry?.crlEntryExtensions?.extensions[0]?.parsedValue?.valueBlock.valueDec).toBe(1);
  });
});

describe('crl', () => {
  it('is a signed CRL v2 of the issuing CA, with number, AKI and update times', async () => {
    const clock = testClock();
    const { ca } = await caWithCertificates(0, { clock });
    const first = await ca.crl();
    expect(crlVerifies(first, ca.issuer)).toBe(true);
    expect(crlVerifies(first, ca.root)).toBe(false);
    const crl = parseCrl(first);
    expect(crl.version).toBe(1);
    expect(crl.revokedCertificates).toBeUndefined();
    // thisUpdate backdated five minutes, as certificates' notBefore: relying parties whose clock
    // is a little behind the CA's accept a CRL at once.
    expect(crl.thisUpdate.value.getTime()).toBe(START - 5 * 60_000);
    expect(crl.nextUpdate?.value.getTime()).toBe(START + 7 * DAY);
    const issuer = new X509Certificate(ca.issuer);
    expect(crl.issuer.typesAndValues[0]?.value.valueBlock.value).toBe('smartcard-2fa Issuing CA');
    expect(issuer.subject).toBe('CN=smartcard-2fa Issuing CA');
    const issuerCert = new pkijs.Certificate({ schema: asn1js.fromBER(ca.issuer).result });
    const ski = issuerCert.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue;
    const aki = crlExtension(crl, '2.5.29.35')?.parsedValue as pkijs.AuthorityKeyIdentifier;
    expect(aki.keyIdentifier?.valueBlock.valueHexView).toEqual(ski.valueBlock.valueHexView);
    expect(crlExtension(crl, '2.5.29.20')?.parsedValue.valueBlock.valueDec).toBe(1);
    clock.advance(DAY);
    const second = parseCrl(await ca.crl());
    expect(crlExtension(second, '2.5.29.20')?.parsedValue.valueBlock.valueDec).toBe(2);
    expect(second.thisUpdate.value.getTime()).toBe(START + DAY - 5 * 60_000);
  });

  it('lists every revoked serial with its date and reason code (none for unspecified)', async () => {
    const clock = testClock();
    const { ca, serials } = await caWithCertificates(3, { clock, crlValidityDays: 2 });
    const [a = '', b = '', c = ''] = serials;
    await ca.revoke(a);
    clock.advance(60_000);
    await ca.revoke(b, 'keyCompromise');
    clock.advance(60_000);
    await ca.revoke(c, 'cessationOfOperation');
    const der = await ca.crl();
    expect(crlVerifies(der, ca.issuer)).toBe(true);
    const crl = parseCrl(der);
    expect(crl.nextUpdate?.value.getTime()).toBe(START + 120_000 + 2 * DAY);
    const entries = (crl.revokedCertificates ?? []).map((entry) => ({
      serial: Buffer.from(entry.userCertificate.valueBlock.valueHexView).toString('hex'),
      date: entry.revocationDate.value.getTime(),
      reason: entry.crlEntryExtensions?.extensions[0]?.parsedValue?.valueBlock.valueDec,
    }));
    expect(entries).toEqual([
      { serial: a, date: START, reason: undefined },
      { serial: b, date: START + 60_000, reason: 1 },
      { serial: c, date: START + 120_000, reason: 5 },
    ]);
  });

  it('comes from the root when there is no issuing CA', async () => {
    const ca = await testCa();
    expect(crlVerifies(await ca.crl(), ca.root)).toBe(true);
  });
});
