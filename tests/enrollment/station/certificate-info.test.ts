import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CertificateSummary, describeCertificate } from '../../../src/enrollment/index.js';
import {
  bmpString,
  booleanValue,
  explicit,
  ia5String,
  implicitPrimitive,
  integer,
  octetString,
  oid,
  sequence,
  tlv,
  utf8String,
} from '../../../src/lib/der-write.js';
import { AGENT, ALICE, BOB, testCa } from '../support/ca.js';
import {
  ascii,
  C,
  CN,
  certificate,
  DC,
  E,
  EKU,
  extension,
  generalizedTime,
  name,
  O,
  OU,
  printable,
  SAN,
  SERIAL_NUMBER,
  teletex,
  UPN,
  upn,
  utcTime,
} from '../support/hand-made-certificate.js';
import { ecKey, pkcs10 } from '../support/requests.js';

/**
 * describeCertificate reads certificates with the SDK's strict DER reader. Its answers are those
 * pkijs gave (the reference below reads each certificate with pkijs, as describeCertificate did
 * before), for the CA's certificates and for hand-made ones covering every string type, name
 * shape, time form and SAN entry it reads. certificate-info-strict.test.ts: what it refuses.
 */

/** What describeCertificate answered when it read certificates with pkijs: the reference. */
function pkijsSummary(der: Uint8Array): CertificateSummary {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  // pkijs lists a name's attributes flat: its RDNs are read from the name's own encoding, so
  // the attributes of a multi-valued RDN are joined with '+' (RFC 4514, 2.2).
  const names = (rdns: pkijs.RelativeDistinguishedNames) => {
    const name = asn1js.fromBER(rdns.valueBeforeDecode).result as asn1js.Sequence;
    const rdnText = (set: asn1js.Set) =>
      (set.valueBlock.value as asn1js.Sequence[])
        .map((tv) => new pkijs.AttributeTypeAndValue({ schema: tv }))
        .map(
          (tv) =>
            `${SHORT[tv.type] ?? tv.type}=${escapeRfc4514(String(tv.value.valueBlock.value))}`,
        )
        .join('+');
    return (name.valueBlock.value as asn1js.Set[]).map(rdnText).reverse().join(', ');
  };
  let upnValue: string | undefined;
  let email: string | undefined;
  const san = cert.extensions?.find((e) => e.extnID === SAN)?.parsedValue;
  for (const general of san instanceof pkijs.AltName ? san.altNames : []) {
    if (general.type === 1) email = String(general.value);
    if (general.type !== 0) continue;
    const [typeId, inner] = (general.value as asn1js.Constructed).valueBlock.value as [
      asn1js.ObjectIdentifier,
      asn1js.Constructed,
    ];
    const value = inner.valueBlock.value[0];
    if (typeId.getValue() === UPN && value instanceof asn1js.Utf8String) {
      upnValue = value.getValue();
    }
  }
  const eku = cert.extensions?.find((e) => e.extnID === EKU)?.parsedValue;
  return {
    subject: names(cert.subject),
    issuer: names(cert.issuer),
    serialNumber: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
    upn: upnValue,
    email,
    extendedKeyUsages: (eku instanceof pkijs.ExtKeyUsage ? eku.keyPurposes : []).map(
      (purpose) => USAGE[purpose] ?? purpose,
    ),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
  };
}

const SHORT: Record<string, string> = {
  [CN]: 'CN',
  [OU]: 'OU',
  [O]: 'O',
  [C]: 'C',
  [DC]: 'DC',
  [E]: 'E',
};
const USAGE: Record<string, string> = {
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.4': 'secureEmail',
  '1.3.6.1.4.1.311.20.2.2': 'smartcardLogon',
  '1.3.6.1.4.1.311.20.2.1': 'certificateRequestAgent',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
};

function escapeRfc4514(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, '\\$&')
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ')
    .split('')
    .map((c) => (c.charCodeAt(0) < 0x20 ? `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c))
    .join('');
}

const issued: Record<string, Uint8Array> = {};

beforeAll(async () => {
  const ca = await testCa({ issuing: true });
  const enroll = async (template: string, requester: string) => {
    const d = await ca.issue(await pkcs10(await ecKey(), { template }), { requester });
    if (d.status !== 'issued') throw new Error(`${template}: ${d.status}`);
    return d.certificate;
  };
  issued['Smartcard User (UPN, e-mail)'] = await enroll('SmartcardUser', ALICE.account);
  issued['Smartcard Logon (UPN only)'] = await enroll('SmartcardLogon', BOB.account);
  issued['Enrollment Agent'] = await enroll('EnrollmentAgent', AGENT.account);
  issued['issuing CA'] = ca.issuer;
  issued.root = ca.root;
});

const handMade: Record<string, () => Uint8Array> = {
  'every string type in names, a multi-valued RDN': () =>
    certificate({
      subject: name(
        [[DC, ia5String('test')]],
        [[DC, ia5String('contoso')]],
        [
          [O, teletex('Contoso Ltd')],
          [C, printable('SE')],
        ],
        [[OU, printable("Help-Desk (2nd floor) 'A'/B:=?")]],
        [[SERIAL_NUMBER, printable('12345')]],
        [[E, ia5String('zoe@contoso.test')]],
        [[CN, bmpString('Zoë 王')]],
        [[OU, tlv(0x1c, new Uint8Array([0, 0, 0, 0x5a, 0, 0, 0x00, 0xeb]))]],
      ),
    }),
  'RFC 4514 escapes (a value that would pass for another attribute)': () =>
    certificate({
      subject: name(
        [[CN, utf8String(' #Alice, OU=Admins+"x"<y>;z\\ ')]],
        [[OU, utf8String('tab\there')]],
      ),
    }),
  'a v1 certificate without extensions': () => certificate({ version: null }),
  'GeneralizedTime after 2049 and UTCTime before 2000': () =>
    certificate({
      validity: sequence(utcTime('991231235959Z'), generalizedTime('20600101000000Z')),
    }),
  'a serial with a leading zero byte': () =>
    certificate({ serial: integer(new Uint8Array([0x80, 1])) }),
  'an empty subject with a SAN': () =>
    certificate({
      subject: sequence(),
      extensions: [extension(SAN, sequence(upn('alice@contoso.test')))],
    }),
  'SAN: the last UPN and e-mail win; other names are passed over': () =>
    certificate({
      extensions: [
        extension(
          SAN,
          sequence(
            implicitPrimitive(1, ascii('first@contoso.test')),
            upn('first@contoso.test'),
            upn('alice@contoso.test'),
            tlv(0xa0, oid('1.2.3.4'), explicit(0, utf8String('not a UPN'))),
            tlv(0xa0, oid(UPN), explicit(0, printable('not UTF8String'))),
            implicitPrimitive(2, ascii('host.contoso.test')),
            implicitPrimitive(1, ascii('alice@contoso.test')),
          ),
        ),
      ],
    }),
  'a UPN that is not a UTF8String is no UPN': () =>
    certificate({
      extensions: [extension(SAN, sequence(tlv(0xa0, oid(UPN), explicit(0, ia5String('a@b')))))],
    }),
  'EKUs known and unknown, and other extensions beside them': () =>
    certificate({
      extensions: [
        sequence(oid('2.5.29.19'), booleanValue(true), octetString(sequence())),
        extension(
          EKU,
          sequence(
            oid('1.3.6.1.5.5.7.3.1'),
            oid('1.3.6.1.5.5.7.3.2'),
            oid('1.3.6.1.4.1.311.20.2.2'),
            oid('1.2.3.4.5'),
          ),
        ),
      ],
    }),
};

describe('describeCertificate answers as pkijs read it', () => {
  it.each([
    'Smartcard User (UPN, e-mail)',
    'Smartcard Logon (UPN only)',
    'Enrollment Agent',
    'issuing CA',
    'root',
  ])('the CA: %s', (which) => {
    const der = issued[which] as Uint8Array;
    const summary = describeCertificate(der);
    expect(summary).toEqual(pkijsSummary(der));
    expect(summary.subject).toMatch(/^CN=/);
  });

  it('the CA: the UPN, e-mail and EKUs of a Smartcard User certificate', () => {
    const summary = describeCertificate(issued['Smartcard User (UPN, e-mail)'] as Uint8Array);
    expect(summary.upn).toBe(ALICE.upn);
    expect(summary.email).toBe(ALICE.email);
    expect(summary.extendedKeyUsages).toEqual(
      expect.arrayContaining(['clientAuth', 'secureEmail', 'smartcardLogon']),
    );
  });

  it.each(Object.keys(handMade))('by hand: %s', (which) => {
    const der = (handMade[which] as () => Uint8Array)();
    expect(describeCertificate(der)).toEqual(pkijsSummary(der));
  });

  it('spot checks of the hand-made answers', () => {
    const names = describeCertificate(
      (handMade['every string type in names, a multi-valued RDN'] as () => Uint8Array)(),
    );
    expect(names.subject).toBe(
      "OU=Zë, CN=Zoë 王, E=zoe@contoso.test, 2.5.4.5=12345, OU=Help-Desk (2nd floor) 'A'/B:\\=?, C=SE+O=Contoso Ltd, DC=contoso, DC=test",
    );
    const san = describeCertificate(
      (
        handMade[
          'SAN: the last UPN and e-mail win; other names are passed over'
        ] as () => Uint8Array
      )(),
    );
    expect([san.upn, san.email]).toEqual(['alice@contoso.test', 'alice@contoso.test']);
    const times = describeCertificate(
      (handMade['GeneralizedTime after 2049 and UTCTime before 2000'] as () => Uint8Array)(),
    );
    expect(times.notBefore.toISOString()).toBe('1999-12-31T23:59:59.000Z');
    expect(times.notAfter.toISOString()).toBe('2060-01-01T00:00:00.000Z');
  });

  it('writes a value that is not a string as # and its DER in hex (RFC 4514)', () => {
    const der = certificate({ subject: name([[CN, integer(5)]], [[OU, utf8String('x')]]) });
    expect(describeCertificate(der).subject).toBe('OU=x, CN=#020105');
  });
});
